package io.github.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Amdahl's law, the streaming bound and Karp-Flatt, against values worked out by hand. */
class SpeedupModelTest {

    private static final double EXACT = 1e-12;

    @Test
    void amdahlsLawMatchesHandComputedValues() {
        // 1 / (0.9/4 + 0.1) = 1 / 0.325
        assertThat(SpeedupModel.amdahl(0.9, 4)).isCloseTo(1 / 0.325, within(EXACT));
        // 1 / (0.5/2 + 0.5) = 4/3
        assertThat(SpeedupModel.amdahl(0.5, 2)).isCloseTo(4.0 / 3, within(EXACT));
        assertThat(SpeedupModel.amdahl(1.0, 8)).isCloseTo(8, within(EXACT));
        assertThat(SpeedupModel.amdahl(0.0, 8)).isCloseTo(1, within(EXACT));
        assertThat(SpeedupModel.amdahl(0.75, 1)).isCloseTo(1, within(EXACT));
        assertThat(new SpeedupModel(0.9, 0.1).amdahlLimit()).isCloseTo(10, within(1e-9));
        assertThat(new SpeedupModel(1.0, 0).amdahlLimit()).isInfinite();
    }

    @Test
    void theStreamingBoundIsTheLargerOfTheSerialShareAndAllWorkOverN() {
        SpeedupModel model = new SpeedupModel(0.8, 0.2);
        assertThat(model.streaming(1)).isCloseTo(1, within(EXACT));
        assertThat(model.streaming(2)).isCloseTo(2, within(EXACT));   // 1 / max(0.2, 0.5)
        assertThat(model.streaming(4)).isCloseTo(4, within(EXACT));   // 1 / max(0.2, 0.25)
        assertThat(model.streaming(8)).isCloseTo(5, within(EXACT));   // 1 / max(0.2, 0.125)
        assertThat(model.amdahl(8)).isCloseTo(1 / (0.1 + 0.2), within(EXACT));
        assertThat(new SpeedupModel(1.0, 0).streaming(6)).isCloseTo(6, within(EXACT));
    }

    @Test
    void karpFlattGivesBackTheSerialFractionOfAnAmdahlSpeedup() {
        // S(4) = 1/0.325 for P = 0.9: e = (0.325 - 0.25) / 0.75 = 0.1 = 1 - P
        assertThat(SpeedupModel.karpFlatt(1 / 0.325, 4)).isCloseTo(0.1, within(1e-12));
        // S(2) = 1.6: e = (0.625 - 0.5) / 0.5 = 0.25
        assertThat(SpeedupModel.karpFlatt(1.6, 2)).isCloseTo(0.25, within(EXACT));
        // a perfect speedup has no serial fraction
        assertThat(SpeedupModel.karpFlatt(3, 3)).isCloseTo(0, within(EXACT));
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> SpeedupModel.amdahl(1.5, 2)).hasMessageContaining("1.5");
        assertThatThrownBy(() -> SpeedupModel.amdahl(0.5, 0)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> SpeedupModel.karpFlatt(2, 1)).hasMessageContaining("n >= 2");
        assertThatThrownBy(() -> SpeedupModel.karpFlatt(0, 2)).hasMessageContaining("more than 0");
        assertThatThrownBy(() -> new SpeedupModel(0.8, 0.5)).hasMessageContaining("0.5");
    }
}
