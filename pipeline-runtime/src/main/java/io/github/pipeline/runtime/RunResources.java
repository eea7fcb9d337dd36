package io.github.pipeline.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The threads a run uses of its own: one for reading the source, one for the sink (or the subscriber),
 * as many per blocking stage as its parallelism, and one per dead-letter sink. They are named after the
 * pipeline and the stage, are daemon threads, and are stopped when the run ends; {@link #awaitTermination}
 * waits until every one of them has ended, or, for a blocking stage's threads, which the run borrows from
 * the threads kept across runs ({@link BlockingThreads#SHARED}), until each has ended its call and gone back to
 * the engine under another name. CPU-bound rails use Reactor's shared {@code Schedulers.parallel()}, one
 * thread per core, which the engine deliberately never disposes.
 *
 * <p>Each scheduler wraps a fixed {@link ThreadPoolExecutor} of the engine's own: its threads may
 * block (they are not marked non-blocking); its queue is a lock-free {@link LinkedTransferQueue}, so
 * handing it work from a CPU rail never parks the rail (a JDK fixed pool's {@code LinkedBlockingQueue}
 * takes a lock that can park under contention, which BlockHound rightly reports); and Reactor's virtual
 * time in tests leaves it alone (it is not made through Reactor's scheduler factory).
 */
final class RunResources {

    private final String pipeline;
    private final Scheduler timer;
    /** Where blocking stages borrow their threads; {@code null}: they start threads of their own. */
    private final BlockingThreads blockingThreads;
    private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    /** Threads started by {@link #startThread}, not by an executor. */
    private final List<Thread> ownThreads = new CopyOnWriteArrayList<>();
    /** Resources closed when the run shuts down, such as spill files. */
    private final List<AutoCloseable> closeAtShutdown = new CopyOnWriteArrayList<>();
    private volatile boolean shutDown;

    RunResources(String pipeline) {
        this(pipeline, Schedulers.parallel());
    }

    /** Resources whose blocking stages borrow the threads of {@code blockingThreads}. */
    RunResources(String pipeline, BlockingThreads blockingThreads) {
        this(pipeline, Schedulers.parallel(), blockingThreads);
    }

    /** Resources whose delays (call timeouts, retry backoff) run on {@code timer}: a virtual clock in tests. */
    RunResources(String pipeline, Scheduler timer) {
        this(pipeline, timer, null);
    }

    private RunResources(String pipeline, Scheduler timer, BlockingThreads blockingThreads) {
        this.pipeline = pipeline;
        this.timer = timer;
        this.blockingThreads = blockingThreads;
    }

    /** The clock of the run's delays: call timeouts and retry backoff. */
    Scheduler timer() {
        return timer;
    }

    /**
     * Creates a scheduler of {@code threads} threads for the run's source, sink or another role of its
     * own, named {@code pipeline-<p>-<role>} (with a number when there are several), all taken now:
     * borrowed from the engine's kept threads as a blocking stage's are (starting a source and a sink
     * thread and waiting for them to end took about 2 ms of every run), or threads of the run's own when it
     * has no engine's to borrow.
     */
    Scheduler newScheduler(String role, int threads) {
        String prefix = "pipeline-" + pipeline + "-" + role;
        if (blockingThreads == null) {
            return Schedulers.fromExecutorService(newExecutor(prefix, threads), prefix);
        }
        LentThreads lent = lend(prefix, threads);
        // all now, on the assembling thread: the first task may come from a CPU rail, which must not
        // start or wake a thread for it when one can be waiting already
        lent.borrowAll();
        return Schedulers.fromExecutorService(lent, prefix);
    }

    /** A fixed pool of {@code threads} threads of the run's own named {@code prefix}, all started now. */
    private ThreadPoolExecutor newExecutor(String prefix, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedTransferQueue<>(), task -> {
                    Thread thread = new Thread(task, threads == 1 ? prefix : prefix + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    this.threads.add(thread);
                    return thread;
                });
        // Start every thread now, on the assembling thread: otherwise the first tasks, handed over from a
        // CPU rail, make the executor add workers under its main lock, and a rail must never wait for a
        // lock (BlockHound interrupts such a wait with an error that leaves the lock broken, and the
        // pool's threads then hang on exit).
        executor.prestartAllCoreThreads();
        executors.add(executor);
        return executor;
    }

    /**
     * Creates a scheduler for a blocking stage: {@code threads} threads borrowed from the engine, named
     * as {@link #newScheduler} names its own, or threads of the run's own when it has no engine's to borrow.
     */
    Scheduler newBlockingScheduler(String role, int threads) {
        return Schedulers.fromExecutorService(newBlockingExecutor(role, threads), "pipeline-" + pipeline + "-" + role);
    }

    /**
     * Borrows {@code threads} threads from the engine for a blocking stage, named as
     * {@link #newScheduler} names its own, as an executor whose threads take tasks from one shared queue;
     * they go back when the run ends. Without an engine's threads to borrow, threads of the run's own.
     */
    ExecutorService newBlockingExecutor(String role, int threads) {
        String prefix = "pipeline-" + pipeline + "-" + role;
        if (blockingThreads == null) {
            return newExecutor(prefix, threads);
        }
        return lend(prefix, threads);
    }

    /** Up to {@code threads} of the engine's kept threads, given back when the run shuts down. */
    private LentThreads lend(String prefix, int threads) {
        LentThreads lent = blockingThreads.lend(prefix, threads);
        executors.add(lent);
        if (shutDown) {
            lent.shutdownNow();
        }
        return lent;
    }

    /**
     * Creates a scheduler that runs every task on a new virtual thread named {@code pipeline-<p>-<role>}
     * (Java 21 or later, reached by reflection since the engine is compiled for Java 17). A stage's
     * rails bound how many run at once.
     *
     * @throws UnsupportedOperationException on a JDK without virtual threads
     */
    Scheduler newVirtualThreadScheduler(String role) {
        String name = "pipeline-" + pipeline + "-" + role + "-";
        ExecutorService executor;
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, name, 1L);
            ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
            executor = (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
                    .invoke(null, factory);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("virtual threads need Java 21 or later; this is Java "
                    + Runtime.version().feature(), e);
        }
        executors.add(executor);
        return Schedulers.fromExecutorService(executor, name + "virtual");
    }

    /**
     * Starts a daemon thread of the run's own, named {@code pipeline-<p>-<role>}, running {@code body}.
     * The body must end when interrupted; {@link #shutdown()} interrupts it.
     */
    Thread startThread(String role, Runnable body) {
        Thread thread = new Thread(body, "pipeline-" + pipeline + "-" + role);
        thread.setDaemon(true);
        threads.add(thread);
        ownThreads.add(thread);
        thread.start();
        return thread;
    }

    /**
     * Closes {@code resource} when the run shuts down, however it ends (at once if it already has). The
     * resource's {@code close} must be safe from any thread, more than once, while a thread of the run
     * may still be using it.
     */
    void closeAtShutdown(AutoCloseable resource) {
        closeAtShutdown.add(resource);
        if (shutDown) {
            closeResources();
        }
    }

    /**
     * Stops every thread of the run, interrupting blocking calls still under way, then closes the
     * resources given to {@link #closeAtShutdown}.
     */
    void shutdown() {
        shutDown = true; // first: a scheduler made from now on is stopped by its maker (newBlockingScheduler)
        for (ExecutorService executor : executors) {
            executor.shutdownNow();
        }
        for (Thread thread : ownThreads) {
            thread.interrupt();
        }
        closeResources();
    }

    private void closeResources() {
        for (AutoCloseable resource : closeAtShutdown) {
            closeAtShutdown.remove(resource); // closed once, and not kept alive by a finished run
            try {
                resource.close();
            } catch (Exception e) {
                reactor.util.Loggers.getLogger(RunResources.class).warn("closing a resource of pipeline '"
                        + pipeline + "' failed", e);
            }
        }
    }

    /** Waits, up to {@code timeout} in all, until every thread of the run has ended. */
    boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ExecutorService executor : executors) {
            // covers virtual threads, which are not in the list below, and the threads borrowed from the
            // engine, which do not end but go back to it: awaited even before the run's shutdown, which
            // may still be on its way when the run's result is out
            boolean lent = executor instanceof LentThreads;
            if ((lent || executor.isShutdown()) && !executor.awaitTermination(Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedJoin(thread, left);
            if (thread.isAlive()) {
                return false;
            }
        }
        return true;
    }
}
