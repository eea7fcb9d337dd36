package io.github.pipeline.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The threads engines keep for blocking stages across runs ({@link #SHARED}: one set for the JVM, so an
 * application that makes an engine per run or per request does not pile up kept threads). A run borrows up to a blocking
 * stage's parallelism ({@link #lend}), one as each task finds none of the run's own waiting, named after its
 * pipeline and stage while it has them, and gives them back when it ends, where they wait (they are not
 * woken to come back); a thread nobody has borrowed for {@link #KEEP_IDLE} ends (one given back while
 * waiting may wait up to twice that).
 *
 * <p>Why: a stage that asks for 256 concurrent calls needs 256 threads, and starting and stopping 256
 * threads for every run cost more than the calls themselves on short runs (2,000 calls of 10 ms at 256:
 * about 500 ms with threads started for the run against about 120 ms with threads kept, on a 2-core
 * machine). An executor kept by the application avoids that cost; the engine now does too.
 */
final class BlockingThreads {

    /**
     * The Linux thread ids of every engine's idle kept threads: a profiled run's core-contention snapshots
     * ({@link CoreContention}) pass over them, as 256 of them made each snapshot 4.7 ms instead of 0.5.
     */
    private static final Set<String> IDLE_THREAD_IDS = ConcurrentHashMap.newKeySet();

    /** How long a thread waits, unborrowed, before it ends. */
    static final Duration KEEP_IDLE = Duration.ofSeconds(60);

    /** Gives a lane back exactly once: by the run's shutdown or by the lane itself, whichever comes first. */
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Lane.class, "owner", LentThreads.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The set every {@link ReactorEngine} lends from (after the constants it needs). */
    static final BlockingThreads SHARED = new BlockingThreads();

    private final Duration keepIdle;
    /** Starts a new thread: {@link Thread#start()}, or, in tests, one that fails as the JVM may. */
    private final Consumer<Thread> starter;
    private final AtomicInteger created = new AtomicInteger();
    /**
     * Unborrowed threads, the most recently returned last (reused first, while still warm). Lock-free: a
     * run's hundreds of threads come back at once when it ends, and a lock would queue them up.
     */
    private final ConcurrentLinkedDeque<Lane> idle = new ConcurrentLinkedDeque<>();

    BlockingThreads() {
        this(KEEP_IDLE);
    }

    BlockingThreads(Duration keepIdle) {
        this(keepIdle, Thread::start);
    }

    /** Threads started by {@code starter}: for tests of a JVM that can start no more threads. */
    BlockingThreads(Duration keepIdle, Consumer<Thread> starter) {
        this.keepIdle = keepIdle;
        this.starter = starter;
    }

    /**
     * Lends up to {@code threads} threads, named {@code name-1} to {@code name-<threads>} (or {@code name}
     * for one), to run the tasks given to the returned executor. None is taken yet: the executor borrows a
     * thread when a task finds none of its own waiting, up to {@code threads}, so a run wakes each thread
     * once, for its first task. They come back when it is shut down and every task under way has ended.
     */
    LentThreads lend(String name, int threads) {
        // what a thread made for one run would have had: the lending thread's class loader (priority and
        // handler are the defaults); thread-locals a call sets stay with the thread (documented)
        return new LentThreads(this, name, threads, Thread.currentThread().getContextClassLoader());
    }

    /**
     * Hands a kept thread, or a new one when none is idle, to {@code lent} under {@code name}; it starts
     * on lent's tasks. Called at most once per lent thread, by {@link LentThreads}.
     *
     * @throws OutOfMemoryError (or another error) when no new thread can be started
     */
    void borrow(LentThreads lent, String name) {
        Lane lane = idle.pollLast();
        if (lane != null) {
            lane.leaveIdleIds();
            lent.adopt(lane); // before the lane sees its owner and may start a task
            lane.lendTo(lent, name);
            LockSupport.unpark(lane);
            return;
        }
        lane = new Lane();
        lent.adopt(lane);
        lane.lendTo(lent, name);
        starter.accept(lane);
    }

    /**
     * Takes a lent thread back, idle. It may still be parked where it waited for the run's tasks: it is not
     * woken to come back (at 256 threads waking them all took several milliseconds of a run's end), only
     * when it is lent again or its idle time is up. The run's shutdown and the lane itself may both try:
     * only the first, which finds the lane still owned by {@code from}, gives it back (true).
     */
    boolean giveBack(Lane lane, LentThreads from) {
        if (!OWNER.compareAndSet(lane, from, null)) {
            return false; // given back already, by the other party
        }
        lane.setName("pipeline-engine-blocking-idle-" + lane.number);
        if (lane.threadId != null) {
            IDLE_THREAD_IDS.add(lane.threadId);
        }
        idle.addLast(lane);
        return true;
    }

    /** How long a thread waits, unborrowed, before it ends. */
    long keepIdleNanos() {
        return keepIdle.toNanos();
    }

    /** The thread ids (as {@link CoreContention#currentThreadId()} gives them) of all engines' idle threads. */
    static Set<String> idleThreadIds() {
        return Collections.unmodifiableSet(IDLE_THREAD_IDS);
    }

    /** Threads kept now, waiting to be lent. */
    int idleThreads() {
        return idle.size();
    }

    /** Different threads among those kept idle: as many as {@link #idleThreads()} unless one is listed twice. */
    int distinctIdleThreads() {
        return new java.util.HashSet<>(idle).size();
    }

    /** Removes an idle lane that has waited too long; false if it has just been lent. */
    private boolean retire(Lane lane) {
        if (!idle.removeLastOccurrence(lane)) {
            return false;
        }
        lane.leaveIdleIds();
        return true;
    }

    /** One kept thread: runs the tasks of whichever {@link LentThreads} it is lent to, then waits for the next. */
    final class Lane extends Thread {

        private final int number = created.incrementAndGet();
        /** The executor this thread works for, or {@code null} while it is idle. */
        volatile LentThreads owner;
        /** Set by the thread itself when it starts, before it is ever idle. */
        private volatile String threadId;
        /** The {@link LentThreads} on whose list the thread waits for a task, or {@code null}. */
        final AtomicReference<LentThreads> waitingOn = new AtomicReference<>();
        /** The executor whose task the thread runs now, or {@code null}: set and read by {@link LentThreads}. */
        volatile LentThreads runningTaskOf;
        /** Held to interrupt the thread's task, and to clear {@link #runningTaskOf} once the task is over. */
        final Object interruptLock = new Object();

        Lane() {
            // no thread group, and none of the creating thread's inheritable thread-locals: the thread serves
            // every later run, whoever starts it
            super(null, null, "pipeline-engine-blocking-idle", 0, false);
            setDaemon(true);
        }

        /** Prepares the thread for {@code lent}, as a thread made for that run would be, then assigns it. */
        void lendTo(LentThreads lent, String name) {
            setName(name);
            setContextClassLoader(lent.loader());
            setPriority(Thread.NORM_PRIORITY);
            setUncaughtExceptionHandler(null);
            owner = lent; // last: the thread starts on lent's tasks once it sees it
        }

        void leaveIdleIds() {
            if (threadId != null) {
                IDLE_THREAD_IDS.remove(threadId);
            }
        }

        @Override
        public void run() {
            threadId = CoreContention.currentThreadId();
            while (true) {
                LentThreads lent = owner;
                if (lent == null) {
                    if (!awaitLending()) {
                        return;
                    }
                    continue;
                }
                try {
                    lent.work(this);
                } finally {
                    Thread.interrupted(); // an interrupt meant for the run's last task is not the next run's
                }
            }
        }

        /** Waits, idle, until lent: true; or false when the thread has waited its idle time and ends. */
        private boolean awaitLending() {
            long deadline = System.nanoTime() + keepIdle.toNanos();
            while (owner == null) {
                long left = deadline - System.nanoTime();
                Thread.interrupted(); // a late interrupt must not turn the wait into a spin
                if (left > 0) {
                    LockSupport.parkNanos(this, left);
                } else if (retire(this)) {
                    return false;
                } else {
                    LockSupport.park(this); // taken just now: its lender sets the owner, then wakes it
                }
            }
            return true;
        }
    }
}
