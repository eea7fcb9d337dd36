package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.StageStats;
import io.github.pipeline.runtime.TestSources.CountingSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

/**
 * Cancels runs under load at random points (seeded, so a failure can be replayed) and checks that a
 * cancelled run leaves nothing behind: source closed, no thread, no output file, counts consistent.
 */
class CancellationStressTest {

    private static final long SEED = 20261124L;

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {false, true})
    void cancellingAtRandomPointsUnderLoadLeavesNothingBehind(boolean ordered, @TempDir Path dir) throws IOException {
        Random random = new Random(SEED + (ordered ? 1 : 0));
        for (int round = 0; round < 15; round++) {
            String name = "stress-" + ordered + "-" + round;
            CountingSource source = CountingSource.endless();
            Path out = dir.resolve(name + ".txt");
            long cancelAfter = random.nextInt(3_000);
            Execution<Long> execution = Pipeline.named(name)
                    .from(source)
                    .map("cube", x -> x * x * x, StageOptions.parallel(2).withOrdered(ordered))
                    .filter("odd", x -> x % 2 == 1, StageOptions.parallel(2).withOrdered(ordered))
                    .map("io", x -> x, StageOptions.blocking(8).withOrdered(ordered))
                    .to(Sink.lines(out))
                    .start(ReactorEngine.create());

            Flux.interval(Duration.ofMillis(1))
                    .takeUntil(i -> execution.progress().sinkItems() >= cancelAfter || execution.isDone())
                    .blockLast(Duration.ofSeconds(30));
            execution.cancel();

            assertThatThrownBy(execution::await).as("round %d", round).isInstanceOf(PipelineCancelledException.class);
            assertThat(source.closed).as("round %d: source closed", round).isTrue();
            assertThat(ThreadLeaks.liveThreadsOf(name)).as("round %d: threads", round).isEmpty();
            for (StageStats stage : execution.progress().stages()) {
                assertThat(stage.inFlight()).as("round %d: %s in flight", round, stage.name()).isNotNegative();
                assertThat(stage.emitted()).as("round %d: %s", round, stage.name()).isLessThanOrEqualTo(stage.received());
            }
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("no output and no partial file after a cancelled run").isEmpty();
        }
    }
}
