package io.github.pipeline.runtime;

import io.github.pipeline.api.StageFailedException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The first stage failure of a run, which ends it. Failures that other rails hit at the same time
 * (before the cancellation reaches them) are attached to it as suppressed exceptions, not reported
 * separately and not dropped.
 */
final class FirstFailure {

    private final AtomicReference<StageFailedException> first = new AtomicReference<>();

    /**
     * Records a failure: returns it if it is the run's first (it ends the run), or attaches it to the
     * first and returns {@code null}.
     */
    StageFailedException record(StageFailedException failure) {
        if (first.compareAndSet(null, failure)) {
            return failure;
        }
        StageFailedException earlier = first.get();
        if (earlier != failure) {
            earlier.addSuppressed(failure);
        }
        return null;
    }
}
