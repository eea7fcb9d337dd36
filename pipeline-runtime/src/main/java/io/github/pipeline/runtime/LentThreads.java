package io.github.pipeline.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Threads a run has borrowed from the kept {@link BlockingThreads}, as an executor: every thread takes
 * the next task from one shared queue, as a fixed thread pool's do. The queue is lock-free, so handing it a
 * task from a CPU rail never parks the rail. {@link #shutdownNow()} drops the tasks not started, interrupts
 * those under way, and the threads go back to the engine as soon as each has ended its task; {@link
 * #awaitTermination} waits for that. The run's own threads are named after it only while it has them.
 */
final class LentThreads extends AbstractExecutorService {

    /** Taken by a thread to leave: one per thread, queued by the shutdown. */
    private static final Runnable LEAVE = () -> {
    };

    private final LinkedTransferQueue<Runnable> tasks = new LinkedTransferQueue<>();
    /** The threads running a task now: the ones a shutdown interrupts. */
    private final ConcurrentHashMap.KeySetView<Thread, Boolean> busy = ConcurrentHashMap.newKeySet();
    private final CountDownLatch returned;
    private final int threads;
    private volatile boolean shutdown;

    LentThreads(int threads) {
        this.threads = threads;
        this.returned = new CountDownLatch(threads);
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw rejected();
        }
        tasks.add(task);
        if (shutdown && tasks.remove(task)) { // the shutdown came meanwhile and has not dropped it
            throw rejected();
        }
    }

    private static RejectedExecutionException rejected() {
        return new RejectedExecutionException("the run has ended: its blocking threads take no more tasks");
    }

    /** Runs tasks on {@code lane}, one of the lent threads, until it takes its {@link #LEAVE}. */
    void work(Thread lane) {
        while (true) {
            Runnable task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                continue; // meant for a task that has just ended; the shutdown's LEAVE comes next
            }
            if (task == LEAVE) {
                return;
            }
            busy.add(lane);
            try {
                Thread.interrupted(); // the previous task's interrupt is not this one's
                if (!shutdown) { // a shutdown that came before this line saw the thread busy and interrupts it
                    task.run();
                }
            } catch (Throwable e) {
                // Reactor's tasks report their own errors; anything else is reported, and the thread goes on
                try {
                    lane.getUncaughtExceptionHandler().uncaughtException(lane, e);
                } catch (Throwable handlerFailed) {
                    // a handler that throws must not take the thread away from the run
                }
            } finally {
                busy.remove(lane);
            }
        }
    }

    /** Counts a thread that has gone back to the engine. */
    void laneReturned() {
        returned.countDown();
    }

    /** As {@link #shutdownNow()}: a run that ends has no use for the tasks it queued. */
    @Override
    public void shutdown() {
        shutdownNow();
    }

    /**
     * Takes no more tasks, drops those not started, interrupts those under way, and sends every thread back
     * to the engine once its task has ended.
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> dropped = new ArrayList<>();
        synchronized (this) {
            if (shutdown) {
                return dropped;
            }
            shutdown = true;
        }
        tasks.drainTo(dropped);
        for (Thread thread : busy) {
            thread.interrupt();
        }
        for (int i = 0; i < threads; i++) {
            tasks.add(LEAVE);
        }
        return dropped;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return returned.getCount() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return returned.await(timeout, unit);
    }
}
