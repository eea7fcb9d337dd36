package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A borrowed thread is on its executor's list of threads (the ones its shutdown interrupts) before it can
 * run a task. A review of 365fd15 found the list filled after the borrow had returned, when the thread
 * could already be running a call: a shutdown in between left that call uninterrupted, and the run's
 * {@code await()} waited for it. Here the borrowing caller is held just as it lists the thread (with the
 * executor's monitor released, as if descheduled) while the run shuts down.
 */
class LentThreadsListingTest {

    private final BlockingThreads threads = new BlockingThreads();

    /** Holds the borrowing thread as it adds a lane, with the executor's monitor released. */
    static final class HoldingLanes extends ArrayList<BlockingThreads.Lane> {
        private final Object monitor;
        volatile boolean go;
        final CountDownLatch held = new CountDownLatch(1);

        HoldingLanes(Object monitor) {
            this.monitor = monitor;
        }

        @Override
        public boolean add(BlockingThreads.Lane lane) {
            synchronized (monitor) { // held already by the caller: wait releases it
                held.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!go && System.nanoTime() < deadline) {
                    try {
                        monitor.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            return super.add(lane);
        }
    }

    @Test
    void aThreadRunsNoTaskBeforeItIsListedSoAShutdownMeanwhileLeavesNoCallBehind() throws Exception {
        LentThreads lent = threads.lend("pipeline-unlisted", 1);
        HoldingLanes lanes = new HoldingLanes(lent);
        Field field = LentThreads.class.getDeclaredField("lanes");
        field.setAccessible(true);
        field.set(lent, lanes);

        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Thread borrower = new Thread(() -> lent.execute(() -> {
            started.countDown();
            try {
                never.await(30, TimeUnit.SECONDS); // a blocking call that ends when interrupted
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "borrower");
        borrower.start();
        assertThat(lanes.held.await(10, TimeUnit.SECONDS)).isTrue();
        // the thread is being listed: it has not been told whose it is, so it cannot have started the call
        assertThat(started.getCount()).isEqualTo(1);

        lent.shutdownNow(); // the run ends (cancelled) meanwhile: the queued call is dropped

        synchronized (lent) {
            lanes.go = true;
            lent.notifyAll();
        }
        borrower.join(10_000);
        try {
            assertThat(lent.awaitTermination(10, TimeUnit.SECONDS)).as("the thread is back (hang guard)").isTrue();
            assertThat(started.getCount()).as("the dropped call never ran").isEqualTo(1);
            assertThat(lanes).hasSize(1);
        } finally {
            never.countDown();
        }
    }
}
