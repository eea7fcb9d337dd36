package io.github.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorPolicyTest {

    @Test
    void theDefaultIsFailFastWithoutRetries() {
        assertThat(StageOptions.sequential().errorPolicy()).isSameAs(ErrorPolicy.failFast());
        assertThat(StageOptions.parallel().errorPolicy().action()).isEqualTo(ErrorPolicy.Action.FAIL);
        assertThat(ErrorPolicy.failFast().retry()).isEmpty();
    }

    @Test
    void retryThenAnotherActionKeepsTheRetryAndTakesTheAction() {
        Sink<DeadLetter, Long> dlq = Sink.count();
        ErrorPolicy policy = ErrorPolicy.retry(RetryPolicy.maxAttempts(3)).then(ErrorPolicy.deadLetter(dlq));

        assertThat(policy.action()).isEqualTo(ErrorPolicy.Action.DEAD_LETTER);
        assertThat(policy.retry()).hasValueSatisfying(r -> assertThat(r.maxAttempts()).isEqualTo(3));
        assertThat(policy.deadLetters()).containsSame(dlq);
        assertThat(policy.describe()).startsWith("retry(attempts=3").endsWith("then dead-letter to count");
    }

    @Test
    void aPolicyAfterRetriesCannotRetryAgain() {
        ErrorPolicy retrying = ErrorPolicy.retry(RetryPolicy.maxAttempts(2));
        assertThatThrownBy(() -> retrying.then(retrying))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot retry again");
    }

    @Test
    void withErrorPolicyReturnsACopy() {
        StageOptions parallel = StageOptions.parallel(2);
        StageOptions skipping = parallel.withErrorPolicy(ErrorPolicy.skip());
        assertThat(parallel.errorPolicy()).isSameAs(ErrorPolicy.failFast());
        assertThat(skipping.errorPolicy()).isSameAs(ErrorPolicy.skip());
        assertThat(skipping).isNotEqualTo(parallel);
        assertThat(skipping.describe()).endsWith("on-error=skip");
        assertThat(parallel.describe()).doesNotContain("on-error");
    }

    @Test
    void retryPolicyChecksItsArgumentsAndNamesTheBadValue() {
        assertThatThrownBy(() -> RetryPolicy.maxAttempts(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> RetryPolicy.maxAttempts(2).withJitter(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> RetryPolicy.maxAttempts(2).withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT2S");
        assertThatThrownBy(() -> RetryPolicy.maxAttempts(2).withBackoff(Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.maxAttempts(2).retryOn()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retryPolicyRetriesExceptionsButNotErrorsByDefault() {
        RetryPolicy any = RetryPolicy.maxAttempts(3);
        assertThat(any.isRetryable(new IllegalStateException())).isTrue();
        assertThat(any.isRetryable(new OutOfMemoryError())).isFalse();

        RetryPolicy io = any.retryOn(UncheckedIOException.class, TimeoutException.class);
        assertThat(io.isRetryable(new UncheckedIOException(new IOException()))).isTrue();
        assertThat(io.isRetryable(new TimeoutException())).isTrue();
        assertThat(io.isRetryable(new IllegalStateException())).isFalse();
        assertThat(any.retryableTypes()).containsExactly(Exception.class);
    }

    @Test
    void stageStatsBalanceCountsSkippedAndDeadLettered() {
        StageStats stats = new StageStats("s", "map", 10, 6, 6, 1, 2, 1, 5);
        assertThat(stats.isBalanced()).isTrue();
        assertThat(stats.inFlight()).isZero();
        assertThat(new StageStats("s", "map", 10, 6, 6, 1, 2, 0, 0).inFlight()).isEqualTo(1);
    }
}
