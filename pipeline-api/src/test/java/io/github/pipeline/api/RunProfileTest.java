package io.github.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The profile's shares of work, its bottleneck and its text, on hand-made stage profiles. */
class RunProfileTest {

    static StageProfile stage(String name, boolean parallel, long wallNanos, boolean bottleneck) {
        return new StageProfile(name, "map", parallel ? 4 : 1, parallel, 1000, 100, wallNanos, wallNanos / 2, 0,
                2048 * 1000, -1, 0.5, bottleneck, Workload.CPU_BOUND, "leave it as it is");
    }

    private final RunProfile profile = new RunProfile("shares", Duration.ofMillis(1), 2, 0, List.of(
            stage(StageProfile.SOURCE, false, 100, false),
            stage("parse", false, 200, false),
            stage("score", true, 600, true),
            stage(StageProfile.SINK, false, 100, false)));

    @Test
    void theParallelFractionIsTheShareOfWorkInParallelStages() {
        assertThat(profile.totalWorkNanos()).isEqualTo(1000);
        assertThat(profile.parallelFraction()).isCloseTo(0.6, within(1e-12));
        assertThat(profile.speedupModel().largestSerialShare()).isCloseTo(0.2, within(1e-12));
        // S(2) = 1 / (0.3 + 0.4)
        assertThat(profile.speedupModel().amdahl(2)).isCloseTo(1 / 0.7, within(1e-12));
    }

    @Test
    void waitingForACoreIsNotWork() {
        // 800 ns of wall, 200 of CPU, 500 waiting for a core: 300 ns of work, of which 100 waiting off-CPU
        StageProfile crowded = new StageProfile("crowded", "map", 4, true, 10, 10, 800, 200, 500, 0, -1, 0.5, false,
                Workload.CPU_BOUND, "-");
        assertThat(crowded.workNanos()).isEqualTo(300);
        assertThat(crowded.waitingNanos()).isEqualTo(600);
        assertThat(crowded.offCpuWaitNanos()).isEqualTo(100);
        RunProfile withCrowd = new RunProfile("crowd", Duration.ofMillis(1), 2, 0,
                List.of(stage("serial", false, 100, false), crowded));
        assertThat(withCrowd.parallelFraction()).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void theTextGivesOneLineOfHeadOfLineBlockingPerOrderedMergeWithAdviceWhenItIsLarge() {
        StageProfile calm = new StageProfile("calm", "map", 2, true, 10, 10, 800, 800, 0, 0, -1, 1_000_000, 0.5,
                false, Workload.CPU_BOUND, "-");
        StageProfile jammed = new StageProfile("jammed", "map", 2, true, 10, 10, 800, 800, 0, 0, -1, 40_000_000, 0.5,
                false, Workload.CPU_BOUND, "-");
        RunProfile ordered = new RunProfile("ordered", Duration.ofMillis(100), 2, 0,
                List.of(stage("unordered", true, 100, false), calm, jammed));

        assertThat(ordered.stage("unordered").hasOrderedMerge()).isFalse();
        assertThat(ordered.stage("unordered").stalledNanos()).isEqualTo(-1);
        assertThat(ordered.text())
                .contains("ordered merge after 'calm': stalled 1.0 ms (1% of the run) holding results while an earlier "
                        + "item was still being worked on (head-of-line blocking)\n")
                .contains("ordered merge after 'jammed': stalled 40.0 ms (40% of the run)")
                .contains("slow items hold the others back")
                .doesNotContain("after 'unordered'");
    }

    @Test
    void stagesCanBeCountedAsParallelByName() {
        SpeedupModel model = profile.speedupModel(Set.of("parse", "score"));
        assertThat(model.parallelFraction()).isCloseTo(0.8, within(1e-12));
        assertThat(model.largestSerialShare()).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void findsTheBottleneckAndStagesByName() {
        assertThat(profile.bottleneck()).map(StageProfile::name).hasValue("score");
        assertThat(profile.stage("parse").waitingNanos()).isEqualTo(100);
        assertThatThrownBy(() -> profile.stage("nope")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'nope'").hasMessageContaining("'shares'");
    }

    @Test
    void anEmptyProfileModelsNoSpeedup() {
        RunProfile empty = RunProfile.empty("p", Duration.ZERO);
        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.bottleneck()).isEmpty();
        assertThat(empty.parallelFraction()).isZero();
        assertThat(empty.text()).contains("not profiled");
    }

    @Test
    void theTextHasEveryStageTheBottleneckAndThePredictions() {
        String text = profile.text();
        assertThat(text).contains("<source>", "parse", "*score", "<sink>", "bottleneck: 'score'",
                "P = 0.600", "Amdahl S(n)", "streaming bound", "2.0KiB", "leave it as it is");
    }
}
