package io.github.pipeline.runtime;

import io.github.pipeline.api.ProcessWorkers;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * One worker slot of a {@link WorkerPool}: the process that fills it now (a new one after each death)
 * and three threads of the run's own that do its blocking I/O, never a CPU rail's:
 * <ul>
 *   <li>{@code <stage>-worker-<n>}, the controller: starts the process, writes the items' lines to its
 *       standard input in the order the pool assigned them (flushing when it has nothing more to write),
 *       and stops the process at the end: closes its input, waits {@link ProcessWorkers#stopTimeout()},
 *       then kills it and its child processes;</li>
 *   <li>{@code <stage>-worker-<n>-out} reads the answers, one line each, and hands them to the pool; at
 *       the end of the output it waits for the process to exit and reports its death;</li>
 *   <li>{@code <stage>-worker-<n>-err} keeps the last lines of its standard error.</li>
 * </ul>
 * The threads start with the slot's first process and serve each process in turn. The fields marked
 * so are guarded by the pool's lock.
 */
final class ProcessWorker {

    private static final Logger LOG = Loggers.getLogger(ProcessWorker.class);
    /** Ends the controller's loop, and the readers' once the last process is gone. */
    private static final Object STOP = new Object();
    /** How long a reader waits for standard error to end after standard output did. */
    private static final long STDERR_GRACE_MILLIS = 1000;
    /** How long to wait for a killed process to be gone. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    /** The worker's number in its stage, from 1. */
    final int number;
    private final WorkerPool pool;
    private final ProcessWorkers config;

    /** Guarded by the pool: the requests assigned to the current process, oldest (the one it works on) first. */
    final ArrayDeque<WorkerRequest> held = new ArrayDeque<>();
    /** Guarded by the pool: whether a process was asked for and its death has not been handled. */
    boolean started;
    /** Guarded by the pool: the number of processes asked for so far; the current one's generation. */
    int generation;
    /** Guarded by the pool. */
    private boolean threadsStarted;

    private final LinkedTransferQueue<Object> commands = new LinkedTransferQueue<>();
    private final LinkedTransferQueue<Object> forAnswers = new LinkedTransferQueue<>();
    private final LinkedTransferQueue<Object> forStderr = new LinkedTransferQueue<>();
    private volatile Instance current;
    /** Completes when the slot's last process has exited (at once if it never had one). */
    final CompletableFuture<Void> stopped = new CompletableFuture<>();

    /** One process filling the slot. */
    static final class Instance {
        final int generation;
        final Process process;
        final Writer stdin;
        final StderrTail stderr;
        final CountDownLatch stderrRead = new CountDownLatch(1);
        /** Guarded by the pool: killed by the pool (a timeout, an answer for no item); its output is ignored. */
        boolean killed;
        /** Killed because it did not exit in time at the stop (already logged). */
        volatile boolean killedAtStop;

        Instance(int generation, Process process, int stderrLines) {
            this.generation = generation;
            this.process = process;
            this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            this.stderr = new StderrTail(stderrLines);
        }

        long pid() {
            return process.pid();
        }
    }

    /** A request to the controller to start the process of the given generation. */
    private record Start(int generation) {
    }

    ProcessWorker(int number, WorkerPool pool, ProcessWorkers config) {
        this.number = number;
        this.pool = pool;
        this.config = config;
    }

    /** The process filling the slot now, or {@code null} before the first. */
    Instance current() {
        return current;
    }

    /** Asks for a new process; called under the pool's lock. */
    void startLocked(RunResources resources, String role) {
        generation++;
        started = true;
        if (!threadsStarted) {
            threadsStarted = true;
            resources.startThread(role, this::control);
            resources.startThread(role + "-out", this::readAnswers);
            resources.startThread(role + "-err", this::readStderr);
        }
        commands.offer(new Start(generation));
    }

    /** Hands a request to the controller to write; called under the pool's lock, after it joined {@link #held}. */
    void writeLocked(WorkerRequest request) {
        commands.offer(request);
    }

    /** Asks the slot to stop its process and its threads; called under the pool's lock. */
    void stopLocked() {
        if (threadsStarted) {
            commands.offer(STOP);
        } else {
            stopped.complete(null);
        }
    }

    /** Kills the current process if the slot has not stopped yet: the pool's last resort at the end. */
    void killIfRunning() {
        Instance instance = current;
        if (!stopped.isDone() && instance != null && instance.process.isAlive()) {
            LOG.warn("worker {} (pid {}) of {} did not stop in time; killed", number, instance.pid(), pool);
            instance.killedAtStop = true;
            kill(instance);
        }
    }

    /** Kills a process and its child processes, without closing its streams (its stderr is still read). */
    static void kill(Instance instance) {
        ProcessHandle handle = instance.process.toHandle();
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
    }

    private void control() {
        try {
            while (true) {
                Object command = commands.poll();
                if (command == null) {
                    flush();
                    command = commands.take();
                }
                if (command == STOP) {
                    break;
                }
                if (command instanceof Start start) {
                    startProcess(start.generation());
                } else {
                    write((WorkerRequest) command);
                }
            }
        } catch (InterruptedException e) {
            // the run is shutting down: stop as at the end
        } catch (RuntimeException | Error e) {
            LOG.error("the controller of worker " + number + " of " + pool + " failed", e);
        }
        try {
            stopProcess();
        } finally {
            forAnswers.offer(STOP);
            forStderr.offer(STOP);
            stopped.complete(null);
        }
    }

    private void startProcess(int generation) {
        ProcessBuilder builder = new ProcessBuilder(config.command());
        config.workingDirectory().ifPresent(directory -> builder.directory(directory.toFile()));
        builder.environment().putAll(config.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            pool.unusable(this, e);
            return;
        }
        Instance instance = new Instance(generation, process, config.stderrLines());
        current = instance;
        pool.started(this, instance);
        forAnswers.offer(instance);
        forStderr.offer(instance);
        config.initializer().ifPresent(line -> writeLine(instance, line));
    }

    private void write(WorkerRequest request) {
        Instance instance = current;
        if (request.isDone() || instance == null || request.generation != instance.generation) {
            return; // ended, or requeued when its process died
        }
        writeLine(instance, request.line);
        request.written = true;
        pool.written(this, request);
    }

    private static void writeLine(Instance instance, String line) {
        try {
            instance.stdin.write(line);
            instance.stdin.write('\n');
        } catch (IOException e) {
            // the process has died (a broken pipe): its answer reader reports the death
        }
    }

    private void flush() {
        Instance instance = current;
        if (instance != null) {
            try {
                instance.stdin.flush();
            } catch (IOException e) {
                // died: reported by its answer reader
            }
        }
    }

    /** Closes the process's input, gives it the stop timeout to exit, then kills it. */
    private void stopProcess() {
        Instance instance = current;
        if (instance == null) {
            return;
        }
        try {
            instance.stdin.close();
        } catch (IOException e) {
            // already gone
        }
        if (!waitFor(instance.process, config.stopTimeout())) {
            LOG.warn("worker {} (pid {}) of {} did not exit within {} of its input being closed; killed", number,
                    instance.pid(), pool, config.stopTimeout());
            instance.killedAtStop = true;
            kill(instance);
            waitFor(instance.process, KILL_WAIT);
        }
    }

    /**
     * Waits up to {@code timeout} for the process to exit, through interrupts (the run's shutdown
     * interrupts its threads, and the stop must still be graceful), which it restores afterwards.
     */
    private static boolean waitFor(Process process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readAnswers() {
        while (true) {
            Instance instance;
            try {
                Object next = forAnswers.take();
                if (next == STOP) {
                    return;
                }
                instance = (Instance) next;
            } catch (InterruptedException e) {
                return;
            }
            LineReader answers = new LineReader(instance.process.getInputStream(), config.maxLineLength());
            try {
                for (LineReader.Line line = answers.next(); line != null; line = answers.next()) {
                    pool.answered(this, instance, line);
                }
            } catch (IOException e) {
                // the stream was closed: as its end
            }
            if (!waitFor(instance.process, config.stopTimeout())) {
                kill(instance); // closed its output but runs on: no worker for us any more
                waitFor(instance.process, KILL_WAIT);
            }
            awaitStderr(instance);
            pool.died(this, instance, instance.process.isAlive() ? -1 : instance.process.exitValue());
        }
    }

    private static void awaitStderr(Instance instance) {
        boolean interrupted = Thread.interrupted();
        try {
            instance.stderrRead.await(STDERR_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void readStderr() {
        while (true) {
            Instance instance;
            try {
                Object next = forStderr.take();
                if (next == STOP) {
                    return;
                }
                instance = (Instance) next;
            } catch (InterruptedException e) {
                return;
            }
            LineReader lines = new LineReader(instance.process.getErrorStream(), StderrTail.MAX_LINE);
            try {
                for (LineReader.Line line = lines.next(); line != null; line = lines.next()) {
                    instance.stderr.add(line);
                }
            } catch (IOException e) {
                // closed: as its end
            } finally {
                instance.stderrRead.countDown();
            }
        }
    }
}
