package io.github.pipeline.runtime;

import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.RetryPolicy;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Turns a {@link RetryPolicy} into Reactor's {@link Retry}: exponential backoff with jitter on
 * the run's timer, retrying only retryable failures, counting each retry, and giving up with the last
 * failure itself (not Reactor's {@code RetryExhaustedException}).
 */
final class RetrySpecs {

    private RetrySpecs() {
    }

    /** The retry of a stage, or {@code null} when its policy does not retry. */
    static Retry of(ErrorPolicy policy, StageCounters counters, Scheduler timer) {
        RetryPolicy retry = policy.retry().orElse(null);
        if (retry == null || retry.maxAttempts() == 1) {
            return null;
        }
        long retries = retry.maxAttempts() - 1L;
        if (retry.firstBackoff().isZero()) {
            return Retry.max(retries)
                    .filter(e -> !(e instanceof ItemStage.FunctionError) && retry.isRetryable(e))
                    .doBeforeRetry(signal -> counters.retried.increment())
                    .onRetryExhaustedThrow((spec, signal) -> signal.failure());
        }
        return Retry.backoff(retries, retry.firstBackoff())
                .scheduler(timer)
                .maxBackoff(retry.maxBackoff())
                .jitter(retry.jitter())
                .filter(e -> !(e instanceof ItemStage.FunctionError) && retry.isRetryable(e))
                .doBeforeRetry(signal -> counters.retried.increment())
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
    }
}
