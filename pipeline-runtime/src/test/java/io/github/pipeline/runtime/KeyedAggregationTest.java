package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.AggregateOptions;
import io.github.pipeline.api.AggregateStage;
import io.github.pipeline.api.Aggregators;
import io.github.pipeline.api.KeyedResult;
import io.github.pipeline.api.SpillCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spilling and merging without Reactor: runs, merge passes, open files, corrupt files, cleanup. */
class KeyedAggregationTest {

    @TempDir
    Path dir;

    private KeyedAggregation aggregation(int maxKeys, int fanIn) {
        return aggregation(maxKeys, fanIn, 1_000);
    }

    private KeyedAggregation aggregation(int maxKeys, int fanIn, long keys) {
        AggregateStage<Long, Long, Long> stage = new AggregateStage<>("count", x -> x % keys,
                Comparator.<Long>naturalOrder(), Optional.of(SpillCodec.longs()), Aggregators.count(),
                AggregateOptions.defaults().withMaxKeysInMemory(maxKeys).withMergeFanIn(fanIn).withSpillDirectory(dir));
        return new KeyedAggregation("unit", stage);
    }

    private static void foldAll(KeyedAggregation aggregation, long items) {
        for (long x = 0; x < items; x++) {
            aggregation.fold(aggregation.keyOf(x), x);
        }
    }

    private static List<KeyedResult<Object, Object>> drain(KeyedAggregation.Results results) {
        List<KeyedResult<Object, Object>> all = new ArrayList<>();
        for (KeyedResult<Object, Object> r = results.next(); r != null; r = results.next()) {
            all.add(r);
        }
        return all;
    }

    private List<Path> filesLeft() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void manyRunsAreMergedInPassesWithAtMostTheFanInOfFilesOpenForReading() throws IOException {
        try (KeyedAggregation aggregation = aggregation(10, 4)) {
            foldAll(aggregation, 5_000); // keys 0..999, each 5 times: a run every 10 new keys

            List<KeyedResult<Object, Object>> results;
            try (KeyedAggregation.Results merged = aggregation.results()) {
                assertThat(filesLeft()).as("runs left for the final merge").hasSize(4);
                results = drain(merged);
            }

            assertThat(results).hasSize(1_000).allSatisfy(r -> assertThat(r.value()).isEqualTo(5L));
            assertThat(results).extracting(r -> (Long) r.key()).isSorted().doesNotHaveDuplicates();
            assertThat(aggregation.files().runsCreated()).isGreaterThan(500);
            assertThat(aggregation.intermediateMerges()).isGreaterThan(100);
            // 500 runs, 4 at a time: four levels of merges at most, each rewriting every entry once at most
            assertThat(aggregation.mergedBytes()).isLessThanOrEqualTo(4 * aggregation.spilledBytes());
            // a pass reads at most 4 runs and writes one
            assertThat(aggregation.files().peakOpenFiles()).isEqualTo(5);
        }
        assertThat(filesLeft()).isEmpty();
        try (Stream<Path> all = Files.list(dir)) {
            assertThat(all).as("the stage's own directory is gone too").isEmpty();
        }
    }

    @Test
    void fewerRunsThanTheSquareOfTheFanInAreRewrittenAtMostOnce() {
        try (KeyedAggregation aggregation = aggregation(10, 64, 3_200)) {
            foldAll(aggregation, 3_200); // every key once: 319 runs of 10 keys (the last 10 stay in memory)

            try (KeyedAggregation.Results merged = aggregation.results()) {
                assertThat(drain(merged)).hasSize(3_200);
            }

            assertThat(aggregation.files().runsCreated() - aggregation.intermediateMerges()).isEqualTo(319);
            // 4 groups of 64 runs and one of 4 merged leave 64: each entry rewritten once at most
            assertThat(aggregation.intermediateMerges()).isEqualTo(5);
            assertThat(aggregation.mergedBytes()).isLessThanOrEqualTo(aggregation.spilledBytes());
        }
    }

    @Test
    void keysThatFitInMemoryTouchNoDisk() {
        try (KeyedAggregation aggregation = aggregation(1_000, 4)) {
            foldAll(aggregation, 5_000);
            try (KeyedAggregation.Results merged = aggregation.results()) {
                assertThat(drain(merged)).hasSize(1_000);
            }
            assertThat(aggregation.files().runsCreated()).isZero();
            assertThat(aggregation.files().directory()).isNull();
        }
    }

    @Test
    void aTruncatedSpillFileIsAClearErrorNamingTheFile() throws IOException {
        try (KeyedAggregation aggregation = aggregation(100, 64)) {
            foldAll(aggregation, 1_000);
            Path run = filesLeft().get(0);
            try (FileChannel channel = FileChannel.open(run, StandardOpenOption.WRITE)) {
                channel.truncate(channel.size() / 2);
            }

            assertThatThrownBy(() -> drain(aggregation.results()))
                    .isInstanceOf(AggregationFailure.class)
                    .hasCauseInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(run + " ends early: it was truncated");
        }
        assertThat(filesLeft()).isEmpty();
    }

    @Test
    void closingFromAnotherThreadDeletesTheFilesAndRefusesNewOnes() throws Exception {
        KeyedAggregation aggregation = aggregation(10, 4);
        foldAll(aggregation, 100);
        assertThat(filesLeft()).isNotEmpty();

        Thread closer = new Thread(aggregation::close);
        closer.start();
        closer.join();

        assertThat(filesLeft()).isEmpty();
        assertThatThrownBy(() -> foldAll(aggregation, 1_000))
                .isInstanceOf(AggregationFailure.class)
                .hasMessageContaining("the spill files of stage 'count' were deleted: the run has ended");
        assertThat(filesLeft()).isEmpty();
    }
}
