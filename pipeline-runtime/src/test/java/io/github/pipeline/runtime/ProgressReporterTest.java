package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Progress;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Progress listeners: periodic snapshots, a last one when the run ends, and no way to break the run. */
class ProgressReporterTest {

    @Test
    void aListenerGetsSnapshotsOneAtATimeAndALastOneWithTheFinalCounts() {
        List<Progress> snapshots = new CopyOnWriteArrayList<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        RunResult<Long> result = Pipeline.named("watched")
                .from(Source.range(0, 200_000))
                .map("work", x -> x * 3, StageOptions.parallel(2))
                .to(Sink.count())
                .withProgressListener(Duration.ofMillis(1), progress -> {
                    maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                    threads.add(Thread.currentThread().getName());
                    snapshots.add(progress);
                    concurrent.decrementAndGet();
                })
                .run(ReactorEngine.create());

        Progress last = snapshots.get(snapshots.size() - 1);
        assertThat(last.done()).isTrue();
        assertThat(last.sinkItems()).isEqualTo(result.value()).isEqualTo(200_000);
        assertThat(last.fractionRead()).hasValue(1.0);
        assertThat(snapshots.subList(0, snapshots.size() - 1)).noneMatch(Progress::done);
        assertThat(maxConcurrent).hasValue(1);
        assertThat(threads).noneMatch(name -> name.startsWith("pipeline-watched"));
    }

    @Test
    void aListenerThatThrowsIsLoggedAndTheRunGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        RunResult<Long> result = Pipeline.named("noisy-listener")
                .from(Source.range(0, 100_000))
                .map("work", x -> x + 1, StageOptions.parallel(2))
                .to(Sink.reduce(0L, Long::sum))
                .withProgressListener(Duration.ofMillis(1), progress -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("listener bug");
                })
                .run(ReactorEngine.create())
                .verifyBalanced();

        assertThat(result.value()).isEqualTo(100_000L * 100_001 / 2);
        assertThat(calls).hasPositiveValue();
    }

    @Test
    void progressKnowsItsRateAndEstimatesTheTimeLeft() {
        Progress halfway = new Progress("p", Duration.ofSeconds(10), 500, java.util.OptionalLong.of(1000),
                List.of(), 400, false);
        assertThat(halfway.itemsPerSecond()).isEqualTo(40.0);
        assertThat(halfway.eta()).hasValue(Duration.ofSeconds(10));
        Progress unknownSize = new Progress("p", Duration.ofSeconds(10), 500, java.util.OptionalLong.empty(),
                List.of(), 400, false);
        assertThat(unknownSize.eta()).isEmpty();
    }
}
