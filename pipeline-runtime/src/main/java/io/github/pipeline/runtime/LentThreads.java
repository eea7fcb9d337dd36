package io.github.pipeline.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads a run borrows from the kept {@link BlockingThreads}, as an executor: every thread takes the
 * next task from one shared queue, as a fixed thread pool's do, and a thread with nothing to do waits
 * on a list of this executor's own. A task wakes one waiting thread, or, when none waits, borrows one
 * more, up to the limit: a run borrows threads as its tasks need them and wakes each once for its first
 * task. The queue and the list are lock-free, so handing a task over from a CPU rail never parks the rail;
 * borrowing (at most once per thread) takes this executor's lock for a moment. A thread's own flag says
 * which executor's list it waits on ({@link BlockingThreads.Lane#waitingOn}): whoever clears it (a task
 * that wakes the thread, the shutdown, or the thread woken otherwise) owns taking it off, so a thread
 * woken by a task never searches the list for itself (at 256 threads that search was a tenth of a run's
 * CPU). The flag names the executor, not just "waiting": an entry left on one run's list (a task that
 * took the thread's entry and then its flag while the thread had found the task itself and listed itself
 * again) can never claim the thread once it waits for another run.
 *
 * <p>{@link #shutdownNow()} drops the tasks not started, interrupts those under way, and gives every
 * waiting thread back to the engine where it waits, without waking it (at 256 threads, waking each to
 * come back took several milliseconds of the run's end); a busy thread goes back as soon as its task has
 * ended. {@link #awaitTermination} waits until all are back. The run's threads are named after it only
 * while it has them.
 */
final class LentThreads extends AbstractExecutorService {

    /** How many times a run's own source or sink thread yields before it waits: see {@link #yieldsBeforeWaiting}. */
    private static final int DEDICATED_YIELDS = 128;

    private final BlockingThreads pool;
    private final String name;
    private final int limit;
    private final ClassLoader loader;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** This executor's threads waiting for a task, parked. */
    private final ConcurrentLinkedDeque<BlockingThreads.Lane> waiting = new ConcurrentLinkedDeque<>();
    /** Every thread borrowed, in the order borrowed: the shutdown interrupts those running a task; guarded by this. */
    private final List<BlockingThreads.Lane> lanes = new ArrayList<>();
    private final CountDownLatch allBack = new CountDownLatch(1);
    /** Threads borrowed so far, and those not yet given back; guarded by this. */
    private int borrowed;
    private int out;
    private volatile boolean shutdown;
    /**
     * How many times a thread with nothing to do yields before it waits on the list: 0 for a blocking
     * stage's threads (hundreds of them yielding would crowd the cores), {@link #DEDICATED_YIELDS} for a
     * run's own source and sink threads, which get a chunk every few microseconds on a busy pipeline and
     * would otherwise be parked and woken for each (as a thread pool's {@code LinkedTransferQueue} spins
     * a little before parking).
     */
    private volatile int yieldsBeforeWaiting;

    LentThreads(BlockingThreads pool, String name, int limit, ClassLoader loader) {
        this.pool = pool;
        this.name = name;
        this.limit = limit;
        this.loader = loader;
    }

    /** The class loader of the thread that lent the threads: each gets it as its context class loader. */
    ClassLoader loader() {
        return loader;
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
        BlockingThreads.Lane idle = takeWaiting();
        if (idle != null) {
            LockSupport.unpark(idle);
        } else {
            borrowOne(task);
        }
    }

    /**
     * Borrows every thread up to the limit now instead of as tasks come: for a run's source or sink
     * thread, whose first task may be handed over from a CPU rail. A thread that cannot be had now is
     * tried again by the first task that finds none.
     */
    void borrowAll() {
        yieldsBeforeWaiting = DEDICATED_YIELDS;
        int toBorrow;
        synchronized (this) {
            toBorrow = limit - borrowed;
        }
        for (int i = 0; i < toBorrow; i++) {
            borrowOne(null);
        }
    }

    /**
     * Borrows one more thread if below the limit; if none can be started and none is borrowed, refuses
     * {@code task} (when there is one).
     */
    private void borrowOne(Runnable task) {
        int index;
        synchronized (this) {
            if (shutdown || borrowed == limit) {
                return; // a borrowed thread takes the task when its own ends
            }
            index = ++borrowed;
            out++;
        }
        try {
            pool.borrow(this, limit == 1 ? name : name + "-" + index);
        } catch (Throwable e) {
            // no native thread to be had: this task is refused, which fails the run; a task another caller
            // queued meanwhile (counting on this borrow) is dropped by the run's shutdown that follows
            boolean none;
            synchronized (this) {
                borrowed--;
                none = borrowed == 0;
            }
            laneReturned();
            if (none && task != null && tasks.remove(task)) {
                RejectedExecutionException refused = new RejectedExecutionException(
                        "no thread could be started for " + name + ": " + e, e);
                throw refused;
            }
        }
    }

    private static RejectedExecutionException rejected() {
        return new RejectedExecutionException("the run has ended: its blocking threads take no more tasks");
    }

    /**
     * Runs tasks on {@code lane}, one of the lent threads, until it is given back: by itself once the
     * executor is shut down, or by the shutdown while it waits (it then finds another owner, or none).
     */
    void work(BlockingThreads.Lane lane) {
        while (lane.owner == this) {
            Runnable task = tasks.poll();
            for (int i = yieldsBeforeWaiting; task == null && i > 0 && !shutdown; i--) {
                Thread.yield();
                task = tasks.poll();
            }
            if (task == null) {
                if (shutdown) {
                    leave(lane);
                    return;
                }
                lane.waitingOn.set(this);
                waiting.addLast(lane);
                task = tasks.poll(); // a task added before this thread was on the list
                if (task == null) {
                    if (shutdown) {
                        if (takeOffWaitingList(lane)) {
                            leave(lane);
                        } // else the shutdown took it off the list and gave it back
                        return;
                    }
                    Thread.interrupted(); // an interrupt left by a task must not turn the wait into a spin
                    LockSupport.parkNanos(this, pool.keepIdleNanos());
                    takeOffWaitingList(lane); // woken other than by a task; a task has taken it off already
                    continue;
                }
                // a task that was there: off the list (a task that took it off meanwhile only wakes the next wait early)
                takeOffWaitingList(lane);
            }
            run(lane, task);
        }
    }

    /**
     * The thread that began waiting last (the warmest), taken off the waiting list for a task or the
     * shutdown; {@code null} when none waits.
     */
    private BlockingThreads.Lane takeWaiting() {
        BlockingThreads.Lane lane;
        while ((lane = waiting.pollLast()) != null) {
            if (lane.waitingOn.compareAndSet(this, null)) {
                return lane;
            } // a stale entry: it took itself off meanwhile, or now waits for another run
        }
        return null;
    }

    /** Takes {@code lane}, by itself, off the waiting list: false if a task or the shutdown took it first. */
    private boolean takeOffWaitingList(BlockingThreads.Lane lane) {
        if (!lane.waitingOn.compareAndSet(this, null)) {
            return false;
        }
        waiting.removeLastOccurrence(lane); // near the end: it was added last, or nearly
        return true;
    }

    private void run(BlockingThreads.Lane lane, Runnable task) {
        lane.runningTaskOf = this;
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
            synchronized (lane.interruptLock) { // a shutdown interrupting it has done so before the thread goes on
                lane.runningTaskOf = null;
            }
        }
    }

    private void leave(BlockingThreads.Lane lane) {
        if (pool.giveBack(lane, this)) {
            laneReturned();
        }
    }

    /**
     * Notes {@code lane} as one of this executor's threads, before it can see that it is (a review found
     * a shutdown that came between a lane's first task and its listing here left that task uninterrupted).
     */
    synchronized void adopt(BlockingThreads.Lane lane) {
        lanes.add(lane);
    }

    /** Counts a thread that has gone back to the engine. */
    private void laneReturned() {
        synchronized (this) {
            out--;
            if (shutdown && out == 0) {
                allBack.countDown();
            }
        }
    }

    /** As {@link #shutdownNow()}: a run that ends has no use for the tasks it queued. */
    @Override
    public void shutdown() {
        shutdownNow();
    }

    /**
     * Takes no more tasks, drops those not started, interrupts those under way, and gives every waiting
     * thread back at once and every busy one once its task has ended.
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
        Runnable task;
        while ((task = tasks.poll()) != null) {
            dropped.add(task);
        }
        List<BlockingThreads.Lane> borrowedLanes;
        synchronized (this) {
            borrowedLanes = new ArrayList<>(lanes);
        }
        for (BlockingThreads.Lane running : borrowedLanes) {
            // under the lane's lock: a lane that has finished its task (and may serve another run next) is not interrupted
            synchronized (running.interruptLock) {
                if (running.runningTaskOf == this) {
                    running.interrupt();
                }
            }
        }
        BlockingThreads.Lane lane;
        while ((lane = takeWaiting()) != null) {
            leave(lane);
        }
        synchronized (this) {
            if (out == 0) {
                allBack.countDown();
            }
        }
        return dropped;
    }

    /**
     * How many of this executor's threads wait for a task now, by their flags (the list may hold an entry
     * a task has just taken, or, after a race of a task with a thread that woke by itself, a thread twice).
     */
    synchronized int waitingThreads() {
        return (int) lanes.stream().filter(lane -> lane.waitingOn.get() == this).count();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return allBack.getCount() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return allBack.await(timeout, unit);
    }
}
