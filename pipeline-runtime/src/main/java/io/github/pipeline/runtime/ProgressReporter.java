package io.github.pipeline.runtime;

import io.github.pipeline.api.ProgressListener;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Calls a run's {@link ProgressListener} at a steady interval, and once more when the run ends, all
 * from one worker of the run's timer, so calls never overlap. The listener is guarded: what it throws
 * is logged and cannot break the run.
 */
final class ProgressReporter {

    private static final Logger LOG = Loggers.getLogger(ProgressReporter.class);

    private final RunState state;
    private final ProgressListener listener;
    private final Scheduler.Worker worker;
    private final CountDownLatch finished = new CountDownLatch(1);

    private ProgressReporter(RunState state, ProgressListener listener, Duration interval, Scheduler timer) {
        this.state = state;
        this.listener = listener;
        this.worker = timer.createWorker();
        long nanos = interval.toNanos();
        worker.schedulePeriodically(() -> report(false), nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** Starts reporting for the run, or returns {@code null} when its pipeline has no listener. */
    static ProgressReporter start(RunState state, Scheduler timer) {
        return state.pipeline.progressListener()
                .map(listener -> new ProgressReporter(state, listener,
                        state.pipeline.progressInterval().orElseThrow(), timer))
                .orElse(null);
    }

    /** Sends the last snapshot, after any periodic one under way, then stops. */
    void finish() {
        worker.schedule(() -> {
            try {
                report(true);
            } finally {
                finished.countDown();
                worker.dispose();
            }
        });
    }

    /** Waits until the last snapshot has been delivered. */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void report(boolean done) {
        try {
            listener.onProgress(state.progress(done));
        } catch (Throwable e) {
            LOG.warn("The progress listener of pipeline '" + state.pipelineName() + "' failed; the run goes on", e);
        }
    }
}
