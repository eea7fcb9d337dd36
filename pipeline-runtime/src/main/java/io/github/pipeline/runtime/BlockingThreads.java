package io.github.pipeline.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads engines keep for blocking stages across runs ({@link #SHARED}: one set for the JVM, so an
 * application that makes an engine per run or per request does not pile up kept threads). A run borrows as many as a blocking
 * stage's parallelism ({@link #lend}), named after its pipeline and stage while it has them, and gives them
 * back when it ends; a thread nobody has borrowed for {@link #KEEP_IDLE} ends.
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

    /** The set every {@link ReactorEngine} lends from (after the constants it needs). */
    static final BlockingThreads SHARED = new BlockingThreads();

    private final Duration keepIdle;
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
        this.keepIdle = keepIdle;
    }

    /**
     * Lends {@code threads} threads, named {@code name-1} to {@code name-<threads>} (or {@code name} for
     * one), to run the tasks given to the returned executor; they come back when it is shut down and
     * every task under way has ended. Starts new threads where too few are idle. Called when a run is
     * assembled, on a thread that may block.
     */
    LentThreads lend(String name, int threads) {
        List<Lane> lanes = new ArrayList<>(threads);
        Lane kept;
        while (lanes.size() < threads && (kept = idle.pollLast()) != null) {
            kept.leaveIdleIds();
            lanes.add(kept);
        }
        try {
            while (lanes.size() < threads) {
                Lane lane = new Lane();
                lane.start();
                lanes.add(lane);
            }
        } catch (Throwable e) { // no native thread to be had: what was taken goes back, idle
            lanes.forEach(this::giveBack);
            throw e;
        }
        LentThreads lent = new LentThreads(lanes.size());
        // what a thread made for one run would have had: the lending thread's class loader, normal
        // priority, the default handler; thread-locals a call sets stay with the thread (documented)
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            lane.setName(threads == 1 ? name : name + "-" + (i + 1));
            lane.setContextClassLoader(loader);
            lane.setPriority(Thread.NORM_PRIORITY);
            lane.setUncaughtExceptionHandler(null);
            lane.assign(lent);
        }
        return lent;
    }

    /** The thread ids (as {@link CoreContention#currentThreadId()} gives them) of all engines' idle threads. */
    static Set<String> idleThreadIds() {
        return Collections.unmodifiableSet(IDLE_THREAD_IDS);
    }

    /** Threads kept now, waiting to be lent. */
    int idleThreads() {
        return idle.size();
    }

    private void giveBack(Lane lane) {
        lane.setName("pipeline-engine-blocking-idle-" + lane.number);
        if (lane.threadId != null) {
            IDLE_THREAD_IDS.add(lane.threadId);
        }
        idle.addLast(lane);
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
    private final class Lane extends Thread {

        private final int number = created.incrementAndGet();
        private final LinkedTransferQueue<LentThreads> assignments = new LinkedTransferQueue<>();
        /** Set by the thread itself when it starts, before it is ever idle. */
        private volatile String threadId;

        Lane() {
            // no thread group, and none of the creating thread's inheritable thread-locals: the thread serves
            // every later run, whoever starts it
            super(null, null, "pipeline-engine-blocking-idle", 0, false);
            setDaemon(true);
        }

        void assign(LentThreads lent) {
            assignments.add(lent);
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
                LentThreads lent;
                try {
                    lent = assignments.poll(keepIdle.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    continue; // a late interrupt meant for a run this thread has left
                }
                if (lent == null) {
                    if (retire(this)) {
                        return;
                    }
                    continue; // lent just now: its assignment is on the way
                }
                try {
                    lent.work(this);
                } finally {
                    Thread.interrupted(); // an interrupt meant for the run's last task is not the next run's
                    giveBack(this);
                    lent.laneReturned();
                }
            }
        }
    }
}
