package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * From a review of 365fd15, where the waiting flag was a boolean of the thread's (Lane) and the list the
 * executor's. A claimer
 * that polled a thread's entry and is descheduled before its compareAndSet leaves that thread listed twice
 * (a stale entry). A run's shutdown that later polls the stale entry, after the thread went back by itself
 * and another run borrowed it, turns the flag off for the other run: that run's next task finds no waiting
 * thread, and waits in the queue while the thread parks for the keep-idle time (60 s). The flag now
 * names the executor whose list the thread waits on, so a stale entry of another run cannot claim it.
 *
 * <p>Only scheduling is controlled: the list pauses given threads at the points where the OS could
 * deschedule them (after an addLast, after a pollLast, between the shutdown's pollLasts).
 */
class LentThreadsStaleEntryTest {

    /** A waiting list that holds chosen threads at chosen points, as a descheduling would. */
    static final class PausingList extends ConcurrentLinkedDeque<BlockingThreads.Lane> {
        volatile Thread pauseAfterAdd;
        final CountDownLatch addPaused = new CountDownLatch(1);
        final CountDownLatch addGo = new CountDownLatch(1);
        volatile Thread pauseAfterPoll;
        final CountDownLatch pollPaused = new CountDownLatch(1);
        final CountDownLatch pollGo = new CountDownLatch(1);
        volatile Thread pauseBeforeSecondPoll;
        final AtomicInteger pollsOfThat = new AtomicInteger();
        final CountDownLatch secondPollPaused = new CountDownLatch(1);
        final CountDownLatch secondPollGo = new CountDownLatch(1);

        @Override
        public void addLast(BlockingThreads.Lane lane) {
            super.addLast(lane);
            if (Thread.currentThread() == pauseAfterAdd) {
                pauseAfterAdd = null;
                addPaused.countDown();
                await(addGo);
            }
        }

        @Override
        public BlockingThreads.Lane pollLast() {
            if (Thread.currentThread() == pauseBeforeSecondPoll && pollsOfThat.incrementAndGet() == 2) {
                secondPollPaused.countDown();
                await(secondPollGo);
            }
            BlockingThreads.Lane lane = super.pollLast();
            if (Thread.currentThread() == pauseAfterPoll) {
                pauseAfterPoll = null;
                pollPaused.countDown();
                await(pollGo);
            }
            return lane;
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final BlockingThreads threads = new BlockingThreads(); // 60 s keep-idle, as SHARED

    @Test
    void aShutdownThatPollsAStaleEntryMustNotTakeTheThreadFromTheNextRun() throws Exception {
        LentThreads first = threads.lend("pipeline-first", 1);
        PausingList list = new PausingList();
        Field waiting = LentThreads.class.getDeclaredField("waiting");
        waiting.setAccessible(true);
        waiting.set(first, list);

        // the first run's one thread T runs a task, then goes to wait and is held just after its addLast
        AtomicReference<Thread> lane = new AtomicReference<>();
        CountDownLatch firstTaskGo = new CountDownLatch(1);
        CountDownLatch firstTaskIn = new CountDownLatch(1);
        first.execute(() -> {
            lane.set(Thread.currentThread());
            firstTaskIn.countDown();
            awaitQuietly(firstTaskGo);
        });
        assertThat(firstTaskIn.await(10, TimeUnit.SECONDS)).isTrue();
        BlockingThreads.Lane t = (BlockingThreads.Lane) lane.get();
        list.pauseAfterAdd = t;
        firstTaskGo.countDown();
        assertThat(list.addPaused.await(10, TimeUnit.SECONDS)).isTrue();

        // a submitter queues X and polls T's entry, and is descheduled before its compareAndSet
        CountDownLatch xRan = new CountDownLatch(1);
        Thread submitter = new Thread(() -> first.execute(xRan::countDown), "submitter");
        list.pauseAfterPoll = submitter;
        submitter.start();
        assertThat(list.pollPaused.await(10, TimeUnit.SECONDS)).isTrue();

        // T goes on: finds X in its second look at the queue, runs it, and waits again (listed anew)
        list.addGo.countDown();
        assertThat(xRan.await(10, TimeUnit.SECONDS)).isTrue();
        awaitParkedAndListed(t, list, 1);

        // the submitter resumes: its compareAndSet takes T off (T's flag is on again) and wakes it;
        // T finds nothing and lists itself again: T is on the list twice
        list.pollGo.countDown();
        submitter.join(10_000);
        awaitParkedAndListed(t, list, 2);
        assertThat(list).containsExactly(t, t);

        // the first run shuts down: it takes T off by its last entry and gives it back, and is descheduled
        // before it polls the stale entry
        Thread shutdown = new Thread(first::shutdownNow, "shutdown");
        list.pauseBeforeSecondPoll = shutdown;
        shutdown.start();
        assertThat(list.secondPollPaused.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threads.idleThreads()).isEqualTo(1);

        // meanwhile the next run borrows T, which runs its first task and waits for the next
        LentThreads next = threads.lend("pipeline-next", 1);
        CountDownLatch nextFirst = new CountDownLatch(1);
        next.execute(nextFirst::countDown);
        assertThat(nextFirst.await(10, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (next.waitingThreads() != 1 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000); // not a spin: on 2 cores it starves the threads waited for
        }
        assertThat(next.waitingThreads()).isEqualTo(1);

        // the first run's shutdown goes on and polls the stale entry
        list.secondPollGo.countDown();
        shutdown.join(10_000);
        assertThat(shutdown.isAlive()).isFalse();

        try {
            int waitingNow = next.waitingThreads();
            CountDownLatch nextSecond = new CountDownLatch(1);
            next.execute(nextSecond::countDown);
            assertThat(nextSecond.await(10, TimeUnit.SECONDS))
                    .as("the next run's second task ran (hang guard 10 s; T parks for 60 s); next.waitingThreads() was %d, T is %s",
                            waitingNow, t.getState())
                    .isTrue();
        } finally {
            next.shutdownNow();
        }
    }

    private static void awaitParkedAndListed(Thread t, ConcurrentLinkedDeque<?> list, int entries) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(list.size() == entries && t.getState() == Thread.State.TIMED_WAITING)
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000); // not a spin: on 2 cores it starves the threads waited for
        }
        assertThat(list).hasSize(entries);
        assertThat(t.getState()).isEqualTo(Thread.State.TIMED_WAITING);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
