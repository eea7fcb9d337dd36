package io.github.pipeline.runtime;

import io.github.pipeline.api.CheckpointableWriter;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.PipelineException;
import io.github.pipeline.api.PipelineExecutionException;
import io.github.pipeline.api.PipelineTimeoutException;
import io.github.pipeline.api.Progress;
import io.github.pipeline.api.RunProfile;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.SinkWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * One run of a pipeline on Reactor, and its handle. The sink writer is driven from the run's sink
 * thread only: items, checkpoints, completion, failure and cancellation all arrive there, so the writer
 * never sees two calls at once and exactly one of {@code complete}, {@code abort} or (when a checkpoint
 * refers to its output) {@code suspend} is called.
 *
 * @param <R> the type of the run's value
 */
final class ReactorExecution<R> implements Execution<R> {

    /** Items buffered in front of the sink thread. */
    static final int SINK_PREFETCH = 256;

    /** How long {@link #await()} waits for the run's threads to stop once the result is known. */
    private static final Duration THREAD_STOP_TIMEOUT = Duration.ofSeconds(30);
    /** How long a stopped run waits for its sink to hear the stop before it ends the run anyway. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final RunState state;
    private final RunResources resources;
    private final RunMeters meters;
    private final CompletableFuture<RunResult<R>> future = new CompletableFuture<>();
    private final SinkSubscriber subscriber;
    /** Why the run is being stopped early: cancelled by the user, or out of time. */
    private final AtomicReference<PipelineExecutionException> stopReason = new AtomicReference<>();
    /** Set by whichever ends the run first: the sink thread, or a stop that the sink did not hear. */
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Disposable runTimer = Disposables.disposed();
    private volatile ProgressReporter progress;

    private ReactorExecution(RunState state, RunResources resources, RunMeters meters, SinkWriter<Object, R> writer,
                             Scheduler sinkThread) {
        this.state = state;
        this.resources = resources;
        this.meters = meters;
        this.subscriber = new SinkSubscriber(writer, sinkThread);
    }

    /** Assembles the pipeline, opens the sink and subscribes; returns at once. */
    static <R> ReactorExecution<R> start(RunState state, RunResources resources, RunMeters meters,
                                         SinkWriter<Object, R> writer) {
        // the profile's first core-contention snapshot lists the JVM's threads now, before the run borrows
        // its own, and reads their figures (about 1 ms) on the sink's thread, idle until the first results
        Runnable readCoreContention = state.coreContentionReader();
        Scheduler sinkThread;
        try {
            sinkThread = resources.newScheduler("sink", 1);
            Disposable ignored = sinkThread.schedule(readCoreContention);
        } catch (RuntimeException e) { // no thread to be had: the run fails as a run, its sink aborted
            return failed(state, resources, meters, writer, e);
        }
        ReactorExecution<R> execution = new ReactorExecution<>(state, resources, meters, writer, sinkThread);
        Flux<Chunk> items;
        try {
            items = new PipelineAssembly(state, resources).assembleChunksOn(sinkThread, SINK_PREFETCH);
        } catch (RuntimeException e) {
            execution.subscriber.finish(null, e);
            return execution;
        }
        state.pipeline.timeout().ifPresent(timeout -> execution.runTimer = resources.timer().schedule(
                () -> execution.stop(new PipelineTimeoutException(state.pipelineName(), timeout)),
                timeout.toNanos(), TimeUnit.NANOSECONDS));
        if (state.checkpointer != null) {
            state.checkpointer.attachSink(execution.subscriber::checkpointSink);
        }
        execution.progress = ProgressReporter.start(state, resources.timer());
        items.subscribe(execution.subscriber);
        return execution;
    }

    /** A run that failed before it started (its sink or a dead-letter sink could not be opened). */
    static <R> ReactorExecution<R> failed(RunState state, RunResources resources, RunMeters meters, Throwable cause) {
        return failed(state, resources, meters, null, cause);
    }

    /** A run that failed before it started, its sink's {@code writer} (when open) aborted. */
    private static <R> ReactorExecution<R> failed(RunState state, RunResources resources, RunMeters meters,
                                                  SinkWriter<Object, R> writer, Throwable cause) {
        ReactorExecution<R> execution = new ReactorExecution<>(state, resources, meters, writer, null);
        execution.subscriber.finish(null, cause);
        return execution;
    }

    @Override
    public String pipeline() {
        return state.pipelineName();
    }

    @Override
    public RunResult<R> await() {
        // about 292 years: a wait without a time limit, through the same path as a timed one
        return await(Duration.ofNanos(Long.MAX_VALUE)).orElseThrow();
    }

    @Override
    public Optional<RunResult<R>> await(Duration timeout) {
        try {
            RunResult<R> result = unwrap(() -> future.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
            awaitThreads();
            return Optional.of(result);
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelineExecutionException(pipeline(), "Interrupted while waiting for pipeline '"
                    + pipeline() + "'; the run goes on", e);
        }
    }

    private interface FutureGet<V> {
        V get() throws InterruptedException, ExecutionException, TimeoutException;
    }

    private RunResult<R> unwrap(FutureGet<RunResult<R>> get) throws InterruptedException, TimeoutException {
        try {
            return get.get();
        } catch (ExecutionException e) {
            try {
                awaitThreads();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e.getCause();
            if (cause instanceof PipelineException pipelineException) {
                throw pipelineException;
            }
            throw new PipelineExecutionException(pipeline(), "Pipeline '" + pipeline() + "' failed: " + cause, cause);
        }
    }

    /** Waits until the run's threads have ended and its progress listener has had its last snapshot. */
    private void awaitThreads() throws InterruptedException {
        resources.awaitTermination(THREAD_STOP_TIMEOUT);
        ProgressReporter reporter = progress;
        if (reporter != null) {
            reporter.awaitFinished(THREAD_STOP_TIMEOUT);
        }
    }

    @Override
    public boolean cancel() {
        return stop(new PipelineCancelledException(pipeline()));
    }

    /** Stops the run early for the given reason, unless it has ended or is already being stopped. */
    private boolean stop(PipelineExecutionException reason) {
        if (future.isDone() || !stopReason.compareAndSet(null, reason)) {
            return false;
        }
        if (state.checkpointer != null) {
            state.checkpointer.stop(); // a checkpoint waiting for the run to drain gives up
        }
        subscriber.dispose();
        // a sink stuck in a call never hears the cancellation: end the run anyway after a grace period
        Disposable ignored = resources.timer().schedule(() -> forceEnd(reason), STOP_GRACE.toNanos(),
                TimeUnit.NANOSECONDS);
        return true;
    }

    /**
     * Ends a run that did not stop within {@link #STOP_GRACE} of being stopped (its sink or a dead-letter
     * sink is stuck in a call): interrupts the run's threads and fails the run with the reason it was
     * stopped for. The sink is aborted if and when its thread comes back.
     */
    private void forceEnd(PipelineExecutionException reason) {
        if (future.isDone()) {
            return;
        }
        reason.addSuppressed(new IllegalStateException("the run did not stop within " + STOP_GRACE.toSeconds()
                + " s (a sink or dead-letter sink stuck in a call?); its threads were interrupted"));
        subscriber.end(null, reason);
    }

    @Override
    public boolean isDone() {
        return future.isDone();
    }

    @Override
    public CompletableFuture<RunResult<R>> toCompletableFuture() {
        CompletableFuture<RunResult<R>> view = future.copy();
        view.whenComplete((result, error) -> {
            if (view.isCancelled()) {
                cancel();
            }
        });
        return view;
    }

    @Override
    public Progress progress() {
        return state.progress(future.isDone());
    }

    @Override
    public RunProfile profile() {
        return state.profile();
    }

    /**
     * Feeds the sink writer on the sink thread and ends the run exactly once. Items arrive in chunks,
     * taken apart here: a loop over the chunk instead of a Reactor signal per item (on a function of a few
     * nanoseconds, taking chunks apart in a Reactor operator was a third of the sink thread's time).
     */
    private final class SinkSubscriber extends BaseSubscriber<Chunk> {

        private final SinkWriter<Object, R> writer;
        private final Scheduler sinkThread;
        /** Picks the writes the sink probe measures; used on the sink thread only. */
        private final StageProbe.Countdown measured = state.sinkProbe.countdown();
        /** Only read and written on the sink thread (or before the run starts). */
        private boolean finished;

        SinkSubscriber(SinkWriter<Object, R> writer, Scheduler sinkThread) {
            this.writer = writer;
            this.sinkThread = sinkThread;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // publishOn in front of this subscriber holds at most SINK_PREFETCH items: the bound
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        protected void hookOnNext(Chunk chunk) {
            long start = System.nanoTime();
            Throwable failure;
            try {
                failure = writeAll(chunk);
            } finally {
                // the writes' time, all of them (a bound on the probe's estimate), before a failure ends the run
                measured.ran(System.nanoTime() - start);
            }
            if (failure != null) {
                cancel();
                finish(null, failure);
            }
        }

        /** Writes the chunk's items; answers the failure that must end the run, or null. */
        private Throwable writeAll(Chunk chunk) {
            for (Object item : chunk) {
                if (finished || isDisposed()) {
                    return null; // ended, or cancelled: the rest of the chunk is not written
                }
                if (item instanceof RailFailure failure) {
                    return failure.error();
                }
                try {
                    write(item);
                } catch (Throwable e) {
                    return becauseOfStop(StageFailures.of(pipeline(), StageFailures.SINK, item, e));
                }
                state.sinkItems.increment(); // item by item: progress shows a slow sink's writes as they happen
            }
            return null;
        }

        private void write(Object item) throws Exception {
            StageProbe.Sample sample = measured.start();
            if (sample == null) {
                writer.accept(item);
            } else {
                writeMeasured(item, sample);
            }
        }

        /** A measured write, apart from the others so that the loop over a chunk stays small. */
        private void writeMeasured(Object item, StageProbe.Sample sample) throws Exception {
            try {
                writer.accept(item);
            } finally {
                state.sinkProbe.stop(sample);
            }
        }

        /**
         * Has the writer make its output durable, on the sink thread, between items: a checkpoint's call,
         * made once the run has drained.
         */
        CompletableFuture<Map<String, String>> checkpointSink() {
            CompletableFuture<Map<String, String>> done = new CompletableFuture<>();
            try {
                Disposable ignored = sinkThread.schedule(() -> {
                    if (finished) {
                        done.completeExceptionally(new IllegalStateException("the run has ended"));
                        return;
                    }
                    try {
                        done.complete(((CheckpointableWriter<Object, R>) writer).checkpoint());
                    } catch (Throwable e) {
                        done.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException ended) {
                done.completeExceptionally(ended);
            }
            return done;
        }

        @Override
        protected void hookOnComplete() {
            try {
                state.completeDeadLetters();
            } catch (Throwable e) {
                finish(null, StageFailures.of(pipeline(), StageFailures.SINK, null, e));
                return;
            }
            R value;
            try {
                value = writer.complete();
            } catch (Throwable e) {
                finished = true;
                end(null, StageFailures.of(pipeline(), StageFailures.SINK, null, e));
                return;
            }
            finished = true;
            if (state.checkpointer != null) {
                state.checkpointer.succeeded();
            }
            end(state.result(value), null);
        }

        @Override
        protected void hookOnError(Throwable error) {
            finish(null, error);
        }

        @Override
        protected void hookOnCancel() {
            try {
                PipelineExecutionException reason = stopReason.get();
                Disposable ignored = sinkThread.schedule(() -> finish(null,
                        reason != null ? reason : new PipelineCancelledException(pipeline())));
            } catch (RejectedExecutionException alreadyEnded) {
                // the run ended (and stopped its sink thread) while it was being cancelled: nothing to do
            }
        }

        /**
         * A sink failure during a stop is the stop's doing (cancelling the delivery interrupts the sink's
         * thread, and an interrupted file channel closes itself): the run reports the stop, with the sink's
         * failure attached, not a sink failure.
         */
        private Throwable becauseOfStop(Throwable sinkFailure) {
            PipelineExecutionException reason = stopReason.get();
            if (reason == null) {
                return sinkFailure;
            }
            reason.addSuppressed(sinkFailure);
            return reason;
        }

        /** Ends a run that did not succeed: aborts the sink, then completes the future. */
        void finish(RunResult<R> result, Throwable error) {
            if (finished) {
                return;
            }
            finished = true;
            if (error != null) {
                if (state.checkpointer != null) {
                    state.checkpointer.stop(); // from here on no checkpoint is saved: keepsOutput() is final
                }
                try {
                    state.abortDeadLetters(error);
                    if (writer != null && keepsCheckpoint()) {
                        ((CheckpointableWriter<Object, R>) writer).suspend(error);
                    } else if (writer != null) {
                        writer.abort(error);
                    }
                } catch (Throwable abortFailure) {
                    error.addSuppressed(abortFailure);
                }
            }
            end(result, error);
        }

        /** Whether a checkpoint refers to the writer's output, so a failed run must keep it for a resume. */
        private boolean keepsCheckpoint() {
            return state.checkpointer != null && state.checkpointer.keepsOutput();
        }

        void end(RunResult<R> result, Throwable error) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            if (state.checkpointer != null) {
                state.checkpointer.stop();
            }
            runTimer.dispose();
            state.markEnded();
            meters.end(error);
            ProgressReporter reporter = progress;
            if (reporter != null) {
                reporter.finish();
            }
            if (state.checkpointer != null) {
                state.checkpointer.release(); // the output is complete, kept or deleted: another run may go on
            }
            if (error == null) {
                future.complete(result);
            } else {
                future.completeExceptionally(error);
            }
            resources.shutdown();
        }
    }
}
