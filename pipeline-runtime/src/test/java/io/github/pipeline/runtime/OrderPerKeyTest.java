package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineDefinitionException;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Order per key: items with the same key keep their order through parallel rails, items of different keys
 * run in parallel, and a slow key holds up only its own rail.
 */
class OrderPerKeyTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final ReactorEngine engine = ReactorEngine.create();

    /** An item of key {@code i % keys}, the {@code i / keys}-th of its key. */
    private record Keyed(long key, long seq) {
    }

    @Test
    void itemsOfOneKeyKeepTheirOrderWhateverEachCallTakes() {
        int keys = 16;
        long items = 4_000;
        SplittableRandom random = new SplittableRandom(9);
        long[] pauses = random.longs(items, 0, 300_000).toArray();
        StageOptions perKey = StageOptions.blocking(4).<Keyed>withOrderPerKey(Keyed::key);
        RunResult<List<Keyed>> result = Pipeline.named("per-key")
                .from(Source.range(0, items))
                .map("key", i -> new Keyed(i % keys, i / keys))
                .map("slow", (Keyed k) -> {
                    LockSupport.parkNanos(pauses[(int) (k.key() + k.seq() * keys)]);
                    return k;
                }, perKey)
                .peek("then", k -> { }, perKey)
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        List<Keyed> out = result.value();
        assertThat(out).hasSize((int) items);
        Map<Long, List<Long>> seqs = new HashMap<>();
        for (Keyed k : out) {
            seqs.computeIfAbsent(k.key(), x -> new ArrayList<>()).add(k.seq());
        }
        assertThat(seqs).hasSize(keys);
        seqs.forEach((key, seq) -> assertThat(seq).as("key %d", key).isSorted().hasSize((int) (items / keys)));
        assertThat(out).as("keys interleave: it is not one rail in source order")
                .isNotEqualTo(out.stream().sorted(java.util.Comparator.comparingLong(k -> k.key() + k.seq() * keys))
                        .toList());
    }

    @Test
    void aSlowKeyHoldsUpOnlyItsOwnRail() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch oddsDone = new CountDownLatch(100);
        // keys 0 and 1 hash to different rails of 2 (Long.hashCode(0) = 0, Long.hashCode(1) = 1)
        Pipeline<Long> pipeline = Pipeline.named("slow-key")
                .from(Source.range(0, 200))
                .map("wait-on-0", (Long i) -> {
                    if (i == 0) {
                        try {
                            release.await(); // the first item of key 0 holds its rail
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    } else if (i % 2 == 1) {
                        oddsDone.countDown();
                    }
                    return i;
                }, StageOptions.blocking(2).<Long>withOrderPerKey(i -> i % 2))
                .to(Sink.count());

        var run = pipeline.start(engine);
        try {
            assertThat(oddsDone.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("key 1's 100 items all done while key 0's first one is held").isTrue();
        } finally {
            release.countDown();
        }
        assertThat(run.await(WAIT).orElseThrow().value()).isEqualTo(200);
    }

    @Test
    void cpuBoundRailsPerKeyGiveEveryItemOnce() {
        RunResult<Long> result = Pipeline.named("cpu-per-key")
                .from(Source.range(1, 100_001))
                .map("square", (Long x) -> x * x, StageOptions.parallel(2).<Long>withOrderPerKey(x -> x % 7))
                .to(Sink.reduce(0L, Long::sum))
                .run(engine)
                .verifyBalanced();

        long expected = 0;
        for (long x = 1; x <= 100_000; x++) {
            expected += x * x;
        }
        assertThat(result.value()).isEqualTo(expected);
    }

    @Test
    void aKeyThatCannotBeReadFailsTheRunNamingTheStage() {
        Pipeline<Long> pipeline = Pipeline.named("bad-key")
                .from(Source.range(0, 100))
                .map("keyed", (Long x) -> x, StageOptions.parallel(2).<Long>withOrderPerKey(x -> {
                    if (x == 42) {
                        throw new IllegalStateException("no key for 42");
                    }
                    return x % 3;
                }))
                .to(Sink.count());

        assertThatThrownBy(() -> pipeline.run(engine)).isInstanceOf(StageFailedException.class)
                .hasMessageContaining("Stage 'keyed'").hasMessageContaining("42")
                .hasMessageContaining("order key cannot be read");
    }

    @Test
    void orderPerKeyAndSourceOrderCannotBeAskedTogether() {
        assertThatThrownBy(() -> Pipeline.named("both").from(Source.range(0, 10))
                .map("m", (Long x) -> x, StageOptions.parallel(2).withOrdered(true).<Long>withOrderPerKey(x -> x))
                .to(Sink.count()))
                .isInstanceOf(PipelineDefinitionException.class).hasMessageContaining("choose one");
        assertThat(StageOptions.parallel(2).<Long>withOrderPerKey(x -> x).describe()).contains("ordered-per-key")
                .doesNotContain("chunks");
    }
}
