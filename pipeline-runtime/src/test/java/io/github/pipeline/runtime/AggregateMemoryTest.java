package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.AggregateOptions;
import io.github.pipeline.api.Aggregators;
import io.github.pipeline.api.KeyedResult;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in its own Surefire execution with {@code -Xmx64m} (see the parent POM): a group-by over ten
 * million distinct keys, whose map alone would take about 1.2 GB, completes with the default memory
 * bound by spilling sorted runs and merging them.
 */
class AggregateMemoryTest {

    private static final long KEYS = 10_000_000;
    /** Every key once, and 2 million of them a second time, long after their first run was spilled. */
    private static final long ITEMS = KEYS + 2_000_000;

    /** A permutation of [0, KEYS): 7,654,321 is prime to 10^7, so the keys arrive in a scattered order. */
    private static String key(long item) {
        return Long.toString(item % KEYS * 7_654_321 % KEYS);
    }

    /** What the sink checks of the results, without holding them. */
    static final class Check {
        long results;
        long items;
        long keysSeenTwice;
        long checksum;
        boolean strictlyIncreasing = true;
        String previous;

        Check add(KeyedResult<String, Long> result) {
            results++;
            items += result.value();
            keysSeenTwice += result.value() == 2 ? 1 : 0;
            checksum += result.key().hashCode() * result.value();
            strictlyIncreasing &= previous == null || previous.compareTo(result.key()) < 0;
            previous = result.key();
            return this;
        }
    }

    @Test
    void theHeapIsSmall() {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(64L * 1024 * 1024);
    }

    /** With the default bound (about 65,000 keys in this heap) the stage spills about 180 runs. */
    @Test
    void aGroupByOverTenMillionDistinctKeysCompletesInA64MegabyteHeap(@TempDir Path spillDir) throws IOException {
        RunResult<Check> result = Pipeline.named("ten-million-keys")
                .from(Source.range(0, ITEMS))
                .aggregate("count", AggregateMemoryTest::key, Aggregators.count(),
                        AggregateOptions.defaults().withSpillDirectory(spillDir))
                .to(Sink.fold(Check::new, Check::add))
                .run(ReactorEngine.create())
                .verifyBalanced();

        long expectedChecksum = 0;
        for (long item = 0; item < ITEMS; item++) {
            expectedChecksum += key(item).hashCode();
        }
        Check check = result.value();
        assertThat(check.results).isEqualTo(KEYS);
        assertThat(check.items).isEqualTo(ITEMS);
        assertThat(check.keysSeenTwice).isEqualTo(ITEMS - KEYS);
        assertThat(check.strictlyIncreasing).isTrue();
        assertThat(check.checksum).isEqualTo(expectedChecksum);
        try (Stream<Path> left = Files.list(spillDir)) {
            assertThat(left).isEmpty();
        }
    }
}
