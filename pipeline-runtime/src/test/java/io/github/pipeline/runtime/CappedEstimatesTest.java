package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.StageProfile;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The estimates of calls made in chunks, capped by the chunks' time (see {@link StageProbe}), read as the
 * run goes on and as it ends: the stage's meters and its live profile never go down, and a run that a
 * sink's write ends holds that last chunk's writes in its profile. From a review's tests.
 */
class CappedEstimatesTest {

    @Test
    void theTimerOfAChunkedBlockingStageNeverGoesDown() throws Exception {
        // chunk 0 (items 0-9) on one thread, 10 ms a call; chunk 1 (items 10-19) on the other, 30 ms a call:
        // capped from the first report on, the first chunk's end would drop the estimate of both to one's
        neverGoesDown(StageOptions.blocking(2).withChunkSize(10), x -> RunProfilerTest.sleep(x, x < 10 ? 10 : 30));
    }

    @Test
    void theTimerOfAChunkedParallelStageNeverGoesDown() throws Exception {
        neverGoesDown(StageOptions.parallel(2).withChunkSize(10), x -> {
            long end = System.nanoTime() + (x < 10 ? 5_000_000 : 15_000_000); // spins: no sleeping on a rail
            long spins = 0;
            while (System.nanoTime() < end) {
                spins++;
            }
            return x + (spins == -1 ? 1 : 0);
        });
    }

    private static void neverGoesDown(StageOptions options, Function<Long, Long> f) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Execution<Long> run = Pipeline.named("two-rails")
                .from(Source.range(0, 20))
                .map("slow", f, options)
                .to(Sink.count())
                .start(ReactorEngine.create(registry));
        List<Double> timer = new ArrayList<>();
        List<Long> live = new ArrayList<>();
        while (!run.isDone()) {
            FunctionTimer calls = registry.find(PipelineMeter.STAGE_CALLS.meterName()).tag("stage", "slow")
                    .functionTimer();
            if (calls != null) {
                timer.add(calls.totalTime(TimeUnit.NANOSECONDS));
            }
            live.add(run.profile().stage("slow").wallNanos());
            Thread.sleep(5);
        }
        assertThat(run.await().value()).isEqualTo(20);
        assertThat(timer).as("the stage's timer, ns, read every 5 ms").isSorted();
        assertThat(live).as("the stage's wall time in the live profile, ns, read every 5 ms").isSorted();
        assertThat(run.profile().stage("slow").wallNanos()).isGreaterThanOrEqualTo(live.get(live.size() - 1));
    }

    @Test
    void aRunThatASinksWriteEndsHoldsThatChunksWritesInItsProfile() throws Exception {
        Execution<Long> run = Pipeline.named("failing-sink")
                .from(Source.range(0, 300))
                .to(Sink.forEach(x -> {
                    RunProfilerTest.sleep(x, 1);
                    if (x == 299) {
                        throw new IllegalStateException("the last write fails");
                    }
                }))
                .start(ReactorEngine.create());
        long atTheEnd = run.toCompletableFuture()
                .handle((result, error) -> run.profile().stage(StageProfile.SINK).wallNanos())
                .get();
        assertThatThrownBy(run::await).hasMessageContaining("the last write fails");
        // 300 writes of at least 1 ms, the last chunk's among them, as soon as the run is seen to end
        assertThat(atTheEnd).isEqualTo(run.profile().stage(StageProfile.SINK).wallNanos())
                .isGreaterThanOrEqualTo(300 * 1_000_000L - 300 * ThreadClocks.OVERHEAD.wallNanos());
    }
}
