package io.github.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

    @Test
    void aStageTimeoutIsOptionalPositiveAndDescribed() {
        StageOptions untimed = StageOptions.blocking(4);
        StageOptions timed = untimed.withTimeout(Duration.ofMillis(250));

        assertThat(untimed.timeout()).isEmpty();
        assertThat(timed.timeout()).contains(Duration.ofMillis(250));
        assertThat(timed.describe()).contains("timeout=250ms");
        assertThat(timed).isNotEqualTo(untimed);
        assertThatThrownBy(() -> untimed.withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> untimed.withTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRunTimeoutMakesACopyOfThePipeline() {
        Pipeline<Long> pipeline = Pipeline.named("p").from(Source.range(0, 1)).to(Sink.count());
        Pipeline<Long> timed = pipeline.withTimeout(Duration.ofMinutes(5));

        assertThat(pipeline.timeout()).isEmpty();
        assertThat(timed.timeout()).contains(Duration.ofMinutes(5));
        assertThat(timed.describe()).contains("timeout  PT5M");
        assertThat(timed.stages()).isEqualTo(pipeline.stages());
        assertThatThrownBy(() -> pipeline.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProgressListenerMakesACopyAndNeedsAnIntervalOfAtLeastAMillisecond() {
        Pipeline<Long> pipeline = Pipeline.named("p").from(Source.range(0, 1)).to(Sink.count());
        ProgressListener listener = progress -> { };
        Pipeline<Long> watched = pipeline.withProgressListener(Duration.ofMillis(500), listener);

        assertThat(pipeline.progressListener()).isEmpty();
        assertThat(watched.progressListener()).containsSame(listener);
        assertThat(watched.progressInterval()).contains(Duration.ofMillis(500));
        assertThat(watched.withTimeout(Duration.ofMinutes(1)).progressListener()).containsSame(listener);
        assertThatThrownBy(() -> pipeline.withProgressListener(Duration.ZERO, listener))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
