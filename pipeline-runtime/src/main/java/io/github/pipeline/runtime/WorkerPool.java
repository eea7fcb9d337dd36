package io.github.pipeline.runtime;

import io.github.pipeline.api.ItemCodec;
import io.github.pipeline.api.Items;
import io.github.pipeline.api.ProcessWorkerException;
import io.github.pipeline.api.ProcessWorkers;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The worker processes of one process stage in one run, and the items they hold.
 *
 * <p>Each item becomes a {@link WorkerRequest}. It waits in {@code pending} until a worker has room
 * (fewer than {@code inFlightPerWorker} items in hand), then goes to the worker with the fewest, so a slow
 * worker is given no more than it can hold while the others take the rest. A lazy worker starts when every
 * started one already holds something. A worker answers in the order it was written to, so an answer
 * belongs to the oldest item it holds.
 *
 * <p>When a worker's process dies (exits, crashes, or is killed for a timeout), the item it was working on
 * (its oldest) fails with the process's exit code and the end of its standard error, or with a
 * {@link TimeoutException}; the other items it held go back to the front of {@code pending}, for any
 * worker; the slot gets a new process when it is needed. Every item thus ends once: answered, failed, or
 * dropped when the stage stops (its subscriber has been cancelled). Workers that die more than
 * {@link ProcessWorkers#restartLimit()} times in a row with no answer between, or that cannot be started,
 * make the pool unusable: every item then fails with an {@link ProcessWorkerException.Reason#UNUSABLE}
 * exception, which fails the run.
 *
 * <p>All state is guarded by the pool's monitor, held briefly and never across I/O or a signal to a
 * subscriber (a {@code synchronized} block, not a lock that parks: items are dispatched from CPU rails).
 */
final class WorkerPool implements AutoCloseable {

    private static final Logger LOG = Loggers.getLogger(WorkerPool.class);
    /** What the pool waits past the stop timeout, at the end, before it kills what is still running. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);

    private final String pipeline;
    private final String stage;
    private final ProcessWorkers config;
    private final ItemCodec<Object, Object> codec;
    private final Duration itemTimeout;
    private final Scheduler timer;
    private final RunResources resources;
    private final StageCounters counters;
    private final WorkerStats stats;
    private final ProcessWorker[] workers;

    private final ArrayDeque<WorkerRequest> pending = new ArrayDeque<>();
    private int deathsInARow;
    private ProcessWorkerException unusable;
    private boolean stopping;
    private long requeued;

    @SuppressWarnings("unchecked")
    WorkerPool(String pipeline, String stage, ProcessWorkers config, ItemCodec<?, ?> codec, Duration itemTimeout,
               RunResources resources, StageCounters counters) {
        this.pipeline = pipeline;
        this.stage = stage;
        this.config = config;
        this.codec = (ItemCodec<Object, Object>) codec;
        this.itemTimeout = itemTimeout;
        this.timer = resources.timer();
        this.resources = resources;
        this.counters = counters;
        this.stats = counters.workers;
        this.workers = new ProcessWorker[config.workers()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new ProcessWorker(i + 1, this, config);
        }
    }

    /** Starts every worker now, if the workers start eagerly. */
    synchronized void startEagerly() {
        if (config.eager()) {
            for (ProcessWorker worker : workers) {
                if (!worker.started) {
                    start(worker);
                }
            }
        }
    }

    /**
     * The answer to one item: encodes it, queues it for a worker, and emits the decoded answer or fails
     * with why there is none. Cancelling drops the item (the worker's answer, if any, is ignored).
     */
    Mono<Object> submit(Object item) {
        return Mono.create(sink -> {
            String line;
            try {
                line = codec.encode(item);
                if (line == null) {
                    throw new NullPointerException("the codec encoded the item to null");
                }
                if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("the codec encoded the item to more than one line: '"
                            + Items.abbreviate(line) + "'");
                }
            } catch (Throwable e) {
                sink.error(e instanceof Error ? new ItemStage.FunctionError(e) : e);
                return;
            }
            WorkerRequest request = new WorkerRequest(item, line, sink);
            sink.onCancel(request::drop);
            dispatch(request);
        });
    }

    private void dispatch(WorkerRequest request) {
        ProcessWorkerException failure;
        synchronized (this) {
            failure = unusable;
            if (failure == null && !stopping) {
                pending.addLast(request);
                drain();
                return;
            }
        }
        if (failure != null) {
            request.fail(unusable(failure));
        } else {
            request.drop(); // stopping: the stage's subscriber has gone
        }
    }

    /** Hands pending requests to workers with room. */
    private void drain() {
        while (!pending.isEmpty()) {
            WorkerRequest request = pending.peekFirst();
            if (request.isDone()) {
                pending.pollFirst();
                continue;
            }
            ProcessWorker worker = pick();
            if (worker == null) {
                return;
            }
            pending.pollFirst();
            assign(worker, request);
        }
    }

    /** The started worker with the fewest items in hand and room for one more; or a new one if all hold some. */
    private ProcessWorker pick() {
        ProcessWorker best = null;
        ProcessWorker idle = null;
        for (ProcessWorker worker : workers) {
            if (!worker.started) {
                if (idle == null) {
                    idle = worker;
                }
            } else if (worker.held.size() < config.inFlightPerWorker()
                    && (best == null || worker.held.size() < best.held.size())) {
                best = worker;
            }
        }
        if (idle != null && (best == null || !best.held.isEmpty())) {
            start(idle);
            return idle;
        }
        return best;
    }

    private void start(ProcessWorker worker) {
        worker.startLocked(resources, stage + "-worker-" + worker.number);
    }

    private void assign(ProcessWorker worker, WorkerRequest request) {
        if (worker.held.isEmpty()) {
            stats.busyFrom(worker.number - 1, System.nanoTime());
        }
        request.worker = worker;
        request.generation = worker.generation;
        request.begunNanos = 0;
        request.written = false;
        worker.held.addLast(request);
        worker.writeLocked(request);
    }

    /** The controller of {@code worker} has written {@code request}: if it is first in line, its clock starts. */
    synchronized void written(ProcessWorker worker, WorkerRequest request) {
        if (!request.isDone() && worker.held.peekFirst() == request && request.begunNanos == 0) {
            begin(worker, request, System.nanoTime());
        }
    }

    /** The worker can work on {@code request} from {@code now}: times it, and arms its timeout. */
    private void begin(ProcessWorker worker, WorkerRequest request, long now) {
        request.begunNanos = now;
        if (itemTimeout != null) {
            request.timeout = timer.schedule(() -> timedOut(worker, request), itemTimeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    /** A new process of {@code worker} runs. */
    void started(ProcessWorker worker, ProcessWorker.Instance instance) {
        if (instance.generation > 1) {
            stats.restarts.increment();
        }
        LOG.debug("{}: worker {} started, pid {}", this, worker.number, instance.pid());
    }

    /** {@code worker}'s process answered with {@code line}: the answer to the oldest item it holds. */
    void answered(ProcessWorker worker, ProcessWorker.Instance instance, LineReader.Line line) {
        WorkerRequest request;
        synchronized (this) {
            if (stopping || instance.killed || worker.current() != instance) {
                return;
            }
            request = worker.held.pollFirst();
            if (request == null) {
                instance.killed = true;
            } else {
                long now = System.nanoTime();
                deathsInARow = 0;
                if (request.timeout != null) {
                    request.timeout.dispose();
                }
                if (request.begunNanos != 0) {
                    counters.probe.recordWall(now - request.begunNanos);
                }
                WorkerRequest next = worker.held.peekFirst();
                if (next == null) {
                    stats.idleFrom(worker.number - 1, now);
                } else if (next.written) {
                    begin(worker, next, now);
                }
                drain();
            }
        }
        if (request == null) {
            LOG.warn("{}: worker {} (pid {}) wrote a line when it held no item, so its answers cannot be matched "
                    + "to items; it was killed and will be restarted. The line: {}", this, worker.number,
                    instance.pid(), Items.abbreviate(line.text()));
            ProcessWorker.kill(instance);
            return;
        }
        Object value;
        try {
            if (line.truncated()) {
                throw new IllegalArgumentException("the answer is longer than " + config.maxLineLength()
                        + " characters (ProcessWorkers.withMaxLineLength)");
            }
            value = codec.decode(line.text());
            if (value == null) {
                throw new NullPointerException("the codec decoded the answer to null");
            }
        } catch (Throwable e) {
            request.fail(new ProcessWorkerException(ProcessWorkerException.Reason.MALFORMED_ANSWER,
                    describe(worker, instance) + " gave an answer that cannot be read: '"
                            + Items.abbreviate(line.text()) + "': " + e, worker.number, OptionalInt.empty(),
                    instance.stderr.lines(), e));
            return;
        }
        request.complete(value);
    }

    /** {@code request} took longer than the item timeout: its worker is killed, and it fails. */
    private void timedOut(ProcessWorker worker, WorkerRequest request) {
        ProcessWorker.Instance instance;
        synchronized (this) {
            instance = worker.current();
            if (stopping || request.isDone() || worker.held.peekFirst() != request || instance == null
                    || instance.generation != request.generation || instance.killed) {
                return;
            }
            worker.held.pollFirst();
            instance.killed = true;
        }
        ProcessWorker.kill(instance);
        List<String> stderr = instance.stderr.lines();
        request.fail(new TimeoutException(describe(worker, instance) + " gave no answer within " + itemTimeout
                + "; it was killed and will be restarted" + (stderr.isEmpty() ? ""
                : "; its stderr ended with:\n    " + String.join("\n    ", stderr))));
    }

    /** {@code worker}'s process has exited with {@code exitCode} (-1 if unknown). */
    void died(ProcessWorker worker, ProcessWorker.Instance instance, int exitCode) {
        WorkerRequest culprit = null;
        List<WorkerRequest> failed = List.of();
        ProcessWorkerException failure = null;
        synchronized (this) {
            worker.started = false;
            stats.idleFrom(worker.number - 1, System.nanoTime());
            if (stopping) {
                worker.held.forEach(WorkerRequest::drop);
                worker.held.clear();
                if (exitCode != 0 && !instance.killed && !instance.killedAtStop) {
                    LOG.warn("{}: worker {} (pid {}) exited with code {} at the end; its stderr ended with {}", this,
                            worker.number, instance.pid(), exitCode, instance.stderr.lines());
                }
                return;
            }
            deathsInARow++;
            if (!instance.killed) {
                culprit = worker.held.pollFirst();
            }
            for (Iterator<WorkerRequest> it = worker.held.descendingIterator(); it.hasNext(); ) {
                WorkerRequest request = it.next();
                if (request.timeout != null) {
                    request.timeout.dispose();
                }
                pending.addFirst(request);
                requeued++;
            }
            worker.held.clear();
            if (deathsInARow > config.restartLimit()) {
                failure = new ProcessWorkerException(ProcessWorkerException.Reason.UNUSABLE, "the workers of "
                        + this + " died " + deathsInARow + " times in a row with no answer between (the limit is "
                        + config.restartLimit() + ", ProcessWorkers.withRestartLimit); the last, "
                        + describe(worker, instance) + ", " + exited(exitCode), worker.number, exitCode(exitCode),
                        instance.stderr.lines(), null);
                unusable = failure;
                failed = new ArrayList<>(pending);
                pending.clear();
            } else {
                if (config.eager()) {
                    start(worker);
                }
                drain();
            }
        }
        if (culprit != null) {
            culprit.fail(new ProcessWorkerException(ProcessWorkerException.Reason.EXITED, describe(worker, instance)
                    + " " + exited(exitCode) + " before it answered", worker.number, exitCode(exitCode),
                    instance.stderr.lines(), null));
        } else if (!instance.killed) {
            LOG.warn("{}: worker {} (pid {}) {} while it held no item; its stderr ended with {}", this, worker.number,
                    instance.pid(), exited(exitCode), instance.stderr.lines());
        }
        for (WorkerRequest request : failed) {
            request.fail(unusable(failure));
        }
    }

    /** {@code worker}'s process could not be started: the pool is unusable. */
    void unusable(ProcessWorker worker, Exception cause) {
        List<WorkerRequest> failed;
        ProcessWorkerException failure = new ProcessWorkerException(ProcessWorkerException.Reason.UNUSABLE,
                "worker " + worker.number + " of " + this + " cannot be started with " + config.command()
                        + config.workingDirectory().map(d -> " in " + d).orElse("") + ": " + cause.getMessage(),
                worker.number, OptionalInt.empty(), List.of(), cause);
        synchronized (this) {
            worker.started = false;
            if (unusable == null) {
                unusable = failure;
            }
            failed = new ArrayList<>(pending);
            failed.addAll(worker.held);
            pending.clear();
            worker.held.clear();
        }
        for (WorkerRequest request : failed) {
            request.fail(unusable(failure));
        }
    }

    /** An unusable pool's failure, wrapped so that no retry policy retries it (see {@link RetrySpecs}). */
    private static Throwable unusable(ProcessWorkerException failure) {
        return new ItemStage.FunctionError(failure);
    }

    /**
     * Stops the workers: closes their input, gives them the stop timeout to exit, kills those still
     * running. The items still in the pool are dropped (the stage's subscriber has gone when any are
     * left). The returned {@code Mono} completes once every worker has stopped.
     */
    Mono<Void> stop() {
        return Mono.defer(() -> Mono.fromFuture(stopNow(), true));
    }

    /** As {@link #stop()}, without waiting: for a run that failed or was cancelled. */
    Mono<Void> stopWithoutWaiting() {
        return Mono.fromRunnable(this::stopNow);
    }

    @Override
    public void close() {
        stopNow();
    }

    private CompletableFuture<Void> stopNow() {
        CompletableFuture<?>[] stopped = new CompletableFuture<?>[workers.length];
        boolean first;
        synchronized (this) {
            first = !stopping;
            stopping = true;
            if (first) {
                pending.forEach(WorkerRequest::drop);
                pending.clear();
                for (ProcessWorker worker : workers) {
                    worker.held.forEach(WorkerRequest::drop);
                    worker.held.clear();
                    worker.stopLocked();
                }
            }
            for (int i = 0; i < workers.length; i++) {
                stopped[i] = workers[i].stopped;
            }
        }
        if (first) {
            // a controller stuck writing to a worker that reads nothing any more cannot stop it: kill it
            Disposable ignored = timer.schedule(() -> {
                for (ProcessWorker worker : workers) {
                    worker.killIfRunning();
                }
            }, config.stopTimeout().plus(KILL_GRACE).toNanos(), TimeUnit.NANOSECONDS);
            if (requeued > 0) {
                LOG.debug("{}: {} items went to another worker when theirs died", this, requeued);
            }
        }
        return CompletableFuture.allOf(stopped);
    }

    private String describe(ProcessWorker worker, ProcessWorker.Instance instance) {
        return "worker " + worker.number + " of " + workers.length + " (pid " + instance.pid() + ")";
    }

    private static String exited(int exitCode) {
        return exitCode < 0 ? "stopped" : "exited with code " + exitCode;
    }

    private static OptionalInt exitCode(int exitCode) {
        return exitCode < 0 ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    @Override
    public String toString() {
        return "stage '" + stage + "' of pipeline '" + pipeline + "'";
    }
}
