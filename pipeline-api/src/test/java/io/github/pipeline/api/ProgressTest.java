package io.github.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The share read and the time left come from bytes when the source counts them, else from items. */
class ProgressTest {

    @Test
    void bytesWinOverItemsWhenTheSourceKnowsBoth() {
        Progress progress = new Progress("p", Duration.ofSeconds(30), 900, OptionalLong.of(1000), 250,
                OptionalLong.of(1000), List.of(), 900, false);

        assertThat(progress.fractionRead()).hasValue(0.25);
        assertThat(progress.eta()).hasValue(Duration.ofSeconds(90));
    }

    @Test
    void itemsAreUsedWhenBytesAreUnknown() {
        Progress progress = new Progress("p", Duration.ofSeconds(30), 500, OptionalLong.of(1000), List.of(), 500, false);

        assertThat(progress.sourceBytesRead()).isZero();
        assertThat(progress.sourceBytesTotal()).isEmpty();
        assertThat(progress.fractionRead()).hasValue(0.5);
    }

    @Test
    void anEmptySourceIsAllReadAndTheFractionNeverPassesOne() {
        assertThat(new Progress("p", Duration.ZERO, 0, OptionalLong.empty(), 0, OptionalLong.of(0), List.of(), 0, true)
                .fractionRead()).hasValue(1.0);
        assertThat(new Progress("p", Duration.ZERO, 0, OptionalLong.empty(), 120, OptionalLong.of(100), List.of(), 0, true)
                .fractionRead()).hasValue(1.0);
        assertThat(new Progress("p", Duration.ZERO, 0, OptionalLong.empty(), List.of(), 0, true).fractionRead()).isEmpty();
    }
}
