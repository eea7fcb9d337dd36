package io.github.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The sweep's arithmetic, on an engine whose runs take known times. */
class SpeedupSweepTest {

    /** Runs take 1000, 600 and 400 ms at parallelism 1, 2 and 4; the profile says 80% of the work is parallel. */
    static final class KnownTimesEngine implements PipelineEngine {
        final Map<Integer, Long> millis = Map.of(1, 1000L, 2, 600L, 4, 400L);
        final List<Integer> runs = new ArrayList<>();

        @Override
        public <R> Execution<R> start(Pipeline<R> pipeline) {
            int n = pipeline.stages().get(1).options().parallelism();
            runs.add(n);
            Duration duration = Duration.ofMillis(millis.get(n));
            RunProfile profile = new RunProfile(pipeline.name(), duration, 2, 0, List.of(
                    RunProfileTest.stage("serial", false, 200, false),
                    RunProfileTest.stage("work", n > 1, 800, true)));
            RunResult<R> result = new RunResult<>(pipeline.name(), null, duration, 0, List.of(), 0, profile);
            return new Execution<>() {
                @Override
                public String pipeline() {
                    return pipeline.name();
                }

                @Override
                public RunResult<R> await() {
                    return result;
                }

                @Override
                public Optional<RunResult<R>> await(Duration timeout) {
                    return Optional.of(result);
                }

                @Override
                public boolean cancel() {
                    return false;
                }

                @Override
                public boolean isDone() {
                    return true;
                }

                @Override
                public CompletableFuture<RunResult<R>> toCompletableFuture() {
                    return CompletableFuture.completedFuture(result);
                }

                @Override
                public Progress progress() {
                    return null;
                }
            };
        }

        @Override
        public String name() {
            return "known-times";
        }
    }

    private static Pipeline<Long> pipeline(int n) {
        return Pipeline.named("swept")
                .from(Source.range(0, 10))
                .map("serial", x -> x)
                .map("work", x -> x, StageOptions.parallel(n))
                .to(Sink.count());
    }

    @Test
    void measuresSpeedupsAndKarpFlattAgainstThePredictions() {
        KnownTimesEngine engine = new KnownTimesEngine();
        SweepResult sweep = SpeedupSweep.of(SpeedupSweepTest::pipeline).withParallelism(4, 1, 2)
                .withRepetitions(2).withWarmups(1).run(engine);

        // one warm-up at the widest level, then the levels take turns, twice
        assertThat(engine.runs).containsExactly(4, 1, 2, 4, 1, 2, 4);
        assertThat(sweep.pipeline()).isEqualTo("swept");
        assertThat(sweep.points()).extracting(SweepPoint::parallelism).containsExactly(1, 2, 4);

        SweepPoint one = sweep.points().get(0);
        SweepPoint two = sweep.points().get(1);
        SweepPoint four = sweep.points().get(2);
        assertThat(one.speedup()).isCloseTo(1, within(1e-12));
        assertThat(one.karpFlatt()).isNaN();
        assertThat(two.speedup()).isCloseTo(1000.0 / 600, within(1e-12));
        assertThat(four.speedup()).isCloseTo(2.5, within(1e-12));
        // e(2) = (0.6 - 0.5) / 0.5 = 0.2; e(4) = (0.4 - 0.25) / 0.75 = 0.2
        assertThat(two.karpFlatt()).isCloseTo(0.2, within(1e-12));
        assertThat(four.karpFlatt()).isCloseTo(0.2, within(1e-12));
        assertThat(sweep.meanKarpFlatt()).isCloseTo(0.2, within(1e-12));

        // the profile at n = 1 has every stage sequential; the widest run says 'work' is parallel: P = 0.8
        assertThat(sweep.baseline().parallelFraction()).isZero();
        assertThat(sweep.model().parallelFraction()).isCloseTo(0.8, within(1e-12));
        assertThat(two.amdahl()).isCloseTo(1 / (0.4 + 0.2), within(1e-12));
        assertThat(four.amdahl()).isCloseTo(1 / (0.2 + 0.2), within(1e-12));
        assertThat(four.streaming()).isCloseTo(4, within(1e-12)); // 1 / max(0.2, 0.25)
        assertThat(sweep.text()).contains("P = 0.800", "Karp-Flatt", "1.67", "2.50", "0.200");
    }

    @Test
    void levelsMustIncludeOneAndNotRepeat() {
        SpeedupSweep sweep = SpeedupSweep.of(SpeedupSweepTest::pipeline);
        assertThat(sweep.levels()[0]).isEqualTo(1);
        assertThatThrownBy(() -> sweep.withParallelism(2, 4)).hasMessageContaining("must include 1");
        assertThatThrownBy(() -> sweep.withParallelism(1, 2, 2)).hasMessageContaining("2 is given twice");
        assertThatThrownBy(() -> sweep.withRepetitions(0)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> sweep.withWarmups(-1)).hasMessageContaining("got -1");
        assertThatThrownBy(() -> sweep.withParallelismUpTo(0)).hasMessageContaining("got 0");
        assertThat(sweep.withParallelismUpTo(3).levels()).containsExactly(1, 2, 3);
    }
}
