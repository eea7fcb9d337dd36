package io.github.pipeline.api;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The handle of a run started with {@link Pipeline#start()}: Python's {@code map_async} result. Wait
 * for it, ask for its result, watch its progress or cancel it.
 *
 * <pre>{@code
 * Execution<Long> running = pipeline.start();
 * doOtherWork();                      // the pipeline runs meanwhile
 * long value = running.result();      // waits, like AsyncResult.get()
 * }</pre>
 *
 * @param <R> the type of the run's value
 */
public interface Execution<R> {

    /**
     * Returns the name of the pipeline being run.
     *
     * @return the pipeline's name
     */
    String pipeline();

    /**
     * Waits for the run to end and returns its result. When this returns or throws, the run has
     * released its threads, its source and its sink.
     *
     * @return the result of a successful run
     * @throws PipelineCancelledException if the run was cancelled
     * @throws PipelineTimeoutException   if the run took longer than {@link Pipeline#withTimeout} allows
     * @throws PipelineExecutionException if the run failed (a {@link StageFailedException} when a stage,
     *                                    the source or the sink failed on an item), or the waiting thread
     *                                    was interrupted (its interrupt flag is then set again)
     */
    RunResult<R> await();

    /**
     * Waits at most {@code timeout} for the run to end.
     *
     * @param timeout how long to wait
     * @return the result, or empty if the run is still going
     * @throws PipelineExecutionException as {@link #await()} does, if the run ended badly
     */
    Optional<RunResult<R>> await(Duration timeout);

    /**
     * Waits for the run to end and returns the sink's value: Python's {@code AsyncResult.get()}.
     *
     * @return the value
     * @throws PipelineExecutionException as {@link #await()} does
     */
    default R result() {
        return await().value();
    }

    /**
     * Cancels the run: stops the source, discards what is in flight, aborts the sink (a file sink
     * leaves no partial file) and releases the threads. Does nothing if the run has ended.
     *
     * @return {@code true} if this call cancelled the run
     */
    boolean cancel();

    /**
     * Returns whether the run has ended, in success, failure or cancellation.
     *
     * @return {@code true} if the run has ended
     */
    boolean isDone();

    /**
     * Returns a future that completes with the run's result (or its exception). Cancelling the future
     * cancels the run; completing it by hand does not affect the run.
     *
     * @return a future view of the run
     */
    CompletableFuture<RunResult<R>> toCompletableFuture();

    /**
     * Returns a snapshot of the run's progress.
     *
     * @return the counts so far
     */
    Progress progress();

    /**
     * Returns the run's profile so far: per stage the time in its function, CPU time, waiting,
     * allocation and utilisation, and the bottleneck. While the run goes on, the figures are those of
     * the calls made so far; once it has ended, they are those of {@link RunResult#profile()}.
     *
     * @return the profile so far; empty if the engine does not profile runs
     */
    default RunProfile profile() {
        return RunProfile.empty(pipeline(), Duration.ZERO);
    }
}
