package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.pipeline.api.Chunking;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.StageProfile;
import io.github.pipeline.runtime.TestSources.CountingSource;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * An ordered parallel stage with one slow item: the items after it wait in the bounded reorder window
 * (the rails' buffers), the source stops being read once they are full, the output keeps source order,
 * and the profile, the report and the meters show how long the ordered merge was stalled.
 */
class HeadOfLineBlockingTest {

    private static final int PREFETCH = 8;
    private static final int RAILS = 2;
    private static final long ITEMS = 2_000;
    private static final long SLOW = 5;

    /**
     * Reads possible while item {@link #SLOW} is pending: the items before it (emitted), it, and the
     * buffers: per item, the parallel() queue and per rail the runOn queue and the merge's queue; with
     * chunks of {@code chunk}, the chunks up to the slow one, the source's read-ahead queue, one chunk
     * asked for ahead of demand, and those buffers counted in chunks (as {@link BackpressureTest} does).
     */
    private static long readBound(int chunk) {
        if (chunk == 1) {
            return SLOW + 1 + PREFETCH + 2L * RAILS * PREFETCH;
        }
        int chunksPerBuffer = PipelineAssembly.chunksPerBuffer(PREFETCH, chunk);
        long upToTheSlowChunk = (SLOW / chunk + 1) * chunk;
        return upToTheSlowChunk + PREFETCH + (long) chunk * (1 + chunksPerBuffer + 2 * RAILS * chunksPerBuffer);
    }

    @ParameterizedTest(name = "chunk size {0}")
    @ValueSource(ints = {1, 4})
    void oneSlowItemStallsTheWindowInsteadOfReadingAheadAndTheProfileShowsTheStall(int chunk) {
        CountingSource source = new CountingSource(ITEMS);
        long bound = readBound(chunk);
        AtomicLong readWhilePending = new AtomicLong();
        RunResult<List<Long>> result = Pipeline.named("head-of-line")
                .from(source)
                .map("slow", x -> {
                    if (x == SLOW) {
                        readWhilePending.set(waitUntilTheSourceStops(source, bound));
                    }
                    return x;
                }, StageOptions.parallel(RAILS).withOrdered(true).withPrefetch(PREFETCH)
                        .withChunking(Chunking.ofSize(chunk)))
                .to(Sink.toList())
                .run(ReactorEngine.create())
                .verifyBalanced();

        assertThat(readWhilePending.get())
                .as("items read while item %d was pending", SLOW)
                .isGreaterThan(SLOW + 1) // the other rail went on: the window filled
                .isLessThanOrEqualTo(bound);
        assertThat(result.value()).containsExactlyElementsOf(LongStream.range(0, ITEMS).boxed().toList());
        StageProfile slow = result.profile().stage("slow");
        assertThat(slow.hasOrderedMerge()).isTrue();
        assertThat(slow.stalledNanos()).isPositive();
        assertThat(RunReport.of(result).text()).contains("ordered merge after 'slow': stalled");
        assertThat(RunReport.of(result).html()).contains("<th>stalled ms</th>");
    }

    /**
     * Spins (a CPU rail must not block) until the source has not been read for a while, or has been read
     * past {@code bound} (the test then fails; no need to wait longer), and answers how far it was read.
     */
    private static long waitUntilTheSourceStops(CountingSource source, long bound) {
        long last = -1;
        long quietSince = System.nanoTime();
        long giveUp = quietSince + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            long read = source.read.get();
            long now = System.nanoTime();
            if (read > bound || now > giveUp) {
                return read;
            }
            if (read != last) {
                last = read;
                quietSince = now;
            } else if (now - quietSince > TimeUnit.MILLISECONDS.toNanos(300)) {
                return read;
            }
        }
    }

    @Test
    void theStallIsReportedOnceAfterTheLastStageOfAnOrderedSegmentAndNotForUnorderedStages() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StageOptions ordered = StageOptions.parallel(RAILS).withOrdered(true);
        RunResult<Long> result = Pipeline.named("stalls")
                .from(Source.range(0, 10_000))
                .map("first", x -> x + 1, ordered)
                .filter("second", x -> x % 3 != 0, ordered)
                .map("unordered", x -> x * 2, StageOptions.parallel(RAILS))
                .to(Sink.count())
                .run(ReactorEngine.create(registry))
                .verifyBalanced();

        assertThat(result.profile().stage("first").hasOrderedMerge()).isFalse();
        assertThat(result.profile().stage("first").stalledNanos()).isEqualTo(-1);
        assertThat(result.profile().stage("second").stalledNanos()).isNotNegative();
        assertThat(result.profile().stage("unordered").stalledNanos()).isEqualTo(-1);
        assertThat(result.profile().stage(StageProfile.SOURCE).hasOrderedMerge()).isFalse();
        String text = RunReport.of(result).text();
        assertThat(text).contains("ordered merge after 'second'")
                .doesNotContain("ordered merge after 'first'")
                .doesNotContain("ordered merge after 'unordered'");

        String meter = PipelineMeter.STAGE_ORDERED_STALLS.meterName();
        FunctionTimer second = registry.find(meter).tag(PipelineMeter.STAGE, "second").functionTimer();
        assertThat(second).isNotNull();
        // the timer keeps its total in seconds, a double: back in nanoseconds it may be off in the last bit
        assertThat(second.totalTime(TimeUnit.NANOSECONDS))
                .isCloseTo((double) result.profile().stage("second").stalledNanos(), within(1.0));
        assertThat(registry.find(meter).tag(PipelineMeter.STAGE, "first").functionTimer()).isNull();
        assertThat(registry.find(meter).tag(PipelineMeter.STAGE, "unordered").functionTimer()).isNull();
    }
}
