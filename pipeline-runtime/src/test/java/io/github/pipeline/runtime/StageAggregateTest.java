package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.AggregateOptions;
import io.github.pipeline.api.Aggregator;
import io.github.pipeline.api.Aggregators;
import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.KeyedResult;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.SpillCodec;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.StageStats;
import io.github.pipeline.runtime.TestSources.CountingSource;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Keyed aggregation: results equal a plain {@link HashMap} computation over the same seeded random data,
 * in memory and spilled (to many runs, merged in several passes); error policies; spill files gone
 * after success, failure and cancellation.
 */
class StageAggregateTest {

    private static final long SEED = 20_260_101;
    private static final int WORDS = 30_000;
    private static final int VOCABULARY = 2_000;
    /** Makes a run spill about every 50 keys and merge 4 files at a time: hundreds of runs, several passes. */
    private static final AggregateOptions TINY = AggregateOptions.defaults().withMaxKeysInMemory(50).withMergeFanIn(4);

    private final ReactorEngine engine = ReactorEngine.create();

    @TempDir
    Path spillDir;

    /** Words drawn with a skew (some frequent, many rare) from a fixed seed. */
    private static List<String> words(int count, long seed) {
        Random random = new Random(seed);
        List<String> words = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int rank = (int) Math.floor(Math.pow(random.nextDouble(), 3) * VOCABULARY);
            words.add("w" + Integer.toString(rank * 7919 % VOCABULARY, 36));
        }
        return words;
    }

    private static <K extends Comparable<K>, V> List<KeyedResult<K, V>> sorted(Map<K, V> map) {
        return new TreeMap<>(map).entrySet().stream().map(e -> new KeyedResult<>(e.getKey(), e.getValue())).toList();
    }

    private static Map<String, Long> countWithHashMap(List<String> words) {
        Map<String, Long> counts = new HashMap<>();
        for (String word : words) {
            counts.merge(word, 1L, Long::sum);
        }
        return counts;
    }

    private AggregateOptions spillingHere(AggregateOptions options) {
        return options.withSpillDirectory(spillDir);
    }

    /** Polls {@code condition} every 5 ms until it holds; fails after 30 s. */
    private static void awaitUntil(Callable<Boolean> condition) {
        Flux.interval(Duration.ofMillis(5)).takeUntil(i -> {
            try {
                return condition.call();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).blockLast(Duration.ofSeconds(30));
    }

    private List<Path> spillFilesLeft() throws IOException {
        try (Stream<Path> files = Files.walk(spillDir)) {
            return files.filter(f -> !f.equals(spillDir)).toList();
        }
    }

    @ParameterizedTest(name = "max keys in memory {0}")
    @ValueSource(ints = {1_000_000, 2_000, 50, 7})
    void wordCountsEqualAHashMapInKeyOrderWithAndWithoutSpilling(int maxKeys) throws IOException {
        List<String> words = words(WORDS, SEED);

        RunResult<List<KeyedResult<String, Long>>> result = Pipeline.named("word-count")
                .from(Source.fromIterable(words))
                .aggregate("count-words", word -> word, Aggregators.count(),
                        spillingHere(AggregateOptions.defaults().withMaxKeysInMemory(maxKeys).withMergeFanIn(4)))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        List<KeyedResult<String, Long>> expected = sorted(countWithHashMap(words));
        assertThat(result.value()).containsExactlyElementsOf(expected);
        assertThat(result.stage("count-words"))
                .isEqualTo(new StageStats("count-words", "aggregate", WORDS, WORDS, expected.size(), 0));
        assertThat(spillFilesLeft()).isEmpty();
    }

    @Test
    void aParallelStageBeforeAndAfterLeavesTheFileWorkOffTheCpuRails() throws IOException {
        // BlockHound fails this test if spilling or merging ran on a rail of Schedulers.parallel()
        List<String> lines = new ArrayList<>();
        List<String> words = words(WORDS, SEED + 1);
        for (int i = 0; i < words.size(); i += 10) {
            lines.add(String.join(" ", words.subList(i, Math.min(i + 10, words.size()))));
        }

        RunResult<List<String>> result = Pipeline.named("rails-around")
                .from(Source.fromIterable(lines))
                .flatMap("split", line -> List.of(line.split(" ")), StageOptions.parallel(4))
                .aggregate("count-words", word -> word, Aggregators.count(), spillingHere(TINY))
                .map("format", r -> r.key() + "\t" + r.value(), StageOptions.parallel(4).withOrdered(true))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).containsExactlyElementsOf(
                sorted(countWithHashMap(words)).stream().map(r -> r.key() + "\t" + r.value()).toList());
        assertThat(spillFilesLeft()).isEmpty();
    }

    /** A sale: a region and an amount (quarters of a unit, so sums are exact whatever their order). */
    record Sale(String region, double amount) {
    }

    /** Three aggregates of one key, combined. */
    record RegionStats(long count, double total, double average) {
    }

    @ParameterizedTest(name = "max keys in memory {0}")
    @ValueSource(ints = {1_000_000, 10})
    void severalAggregatesPerKeyEqualAHashMap(int maxKeys) {
        Random random = new Random(SEED);
        List<Sale> sales = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            sales.add(new Sale("region-" + random.nextInt(40), random.nextInt(4_000) / 4.0));
        }

        RunResult<List<KeyedResult<String, RegionStats>>> result = Pipeline.named("sales")
                .from(Source.fromIterable(sales))
                .aggregate("by-region", Sale::region,
                        Aggregators.combine(Aggregators.count(), Aggregators.sumDouble(Sale::amount),
                                Aggregators.average(Sale::amount), RegionStats::new),
                        spillingHere(AggregateOptions.defaults().withMaxKeysInMemory(maxKeys).withMergeFanIn(2)))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        Map<String, long[]> counts = new HashMap<>();
        Map<String, Double> totals = new HashMap<>();
        for (Sale sale : sales) {
            counts.computeIfAbsent(sale.region(), r -> new long[1])[0]++;
            totals.merge(sale.region(), sale.amount(), Double::sum);
        }
        Map<String, RegionStats> expected = new HashMap<>();
        counts.forEach((region, n) -> expected.put(region,
                new RegionStats(n[0], totals.get(region), totals.get(region) / n[0])));
        assertThat(result.value()).containsExactlyElementsOf(sorted(expected));
    }

    @Test
    void minMaxAndExactSumsOfLongsPerKey() {
        RunResult<List<KeyedResult<Long, List<Long>>>> result = Pipeline.named("min-max")
                .from(Source.range(0, 2_000))
                .aggregate("by-residue", x -> x % 7,
                        Aggregators.combine(Aggregators.minLong(x -> x), Aggregators.maxLong(x -> x),
                                Aggregators.sumLong(x -> x), (min, max, sum) -> List.of(min, max, sum)),
                        spillingHere(AggregateOptions.defaults().withMaxKeysInMemory(4)))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).hasSize(7).allSatisfy(r -> {
            long residue = r.key();
            long max = 1_999 - (1_999 - residue) % 7;
            long n = (max - residue) / 7 + 1;
            assertThat(r.value()).containsExactly(residue, max, n * (residue + max) / 2);
        });
    }

    /** Keeps the items of a key in arrival order: merge is not commutative, so run order matters. */
    private static final Aggregator<Long, List<Long>, List<Long>> IN_ARRIVAL_ORDER = Aggregators.of(
            ArrayList::new,
            (list, x) -> {
                list.add(x);
                return list;
            },
            (earlier, later) -> {
                earlier.addAll(later);
                return earlier;
            },
            list -> list,
            new SpillCodec<>() {
                @Override
                public void write(List<Long> value, DataOutput out) throws IOException {
                    out.writeInt(value.size());
                    for (long x : value) {
                        out.writeLong(x);
                    }
                }

                @Override
                public List<Long> read(DataInput in) throws IOException {
                    int size = in.readInt();
                    List<Long> list = new ArrayList<>(size);
                    for (int i = 0; i < size; i++) {
                        list.add(in.readLong());
                    }
                    return list;
                }
            });

    @Test
    void mergePassesKeepArrivalOrderSoMergeNeedNotBeCommutative() {
        RunResult<List<KeyedResult<Long, List<Long>>>> result = Pipeline.named("arrival-order")
                .from(Source.range(0, 3_000))
                .aggregate("by-tens", x -> x % 10, IN_ARRIVAL_ORDER,
                        spillingHere(AggregateOptions.defaults().withMaxKeysInMemory(3).withMergeFanIn(3)))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).hasSize(10).allSatisfy(r -> assertThat(r.value())
                .hasSize(300).isSorted().allMatch(x -> x % 10 == r.key()));
    }

    /** A key type without a built-in codec. */
    record Point(int x, int y) {
    }

    private static final SpillCodec<Point> POINTS = new SpillCodec<>() {
        @Override
        public void write(Point value, DataOutput out) throws IOException {
            out.writeInt(value.x());
            out.writeInt(value.y());
        }

        @Override
        public Point read(DataInput in) throws IOException {
            return new Point(in.readInt(), in.readInt());
        }
    };

    @Test
    void anyKeyTypeSpillsWithItsCodecAndComesOutInTheGivenOrder() {
        Comparator<Point> byYThenXDescending = Comparator.comparingInt(Point::y).thenComparing(Point::x,
                Comparator.reverseOrder());

        RunResult<List<KeyedResult<Point, Long>>> result = Pipeline.named("points")
                .from(Source.range(0, 5_000))
                .aggregate("grid", i -> new Point((int) (i % 13), (int) (i % 11)), byYThenXDescending, POINTS,
                        Aggregators.count(), spillingHere(TINY))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        Map<Point, Long> expected = new HashMap<>();
        for (long i = 0; i < 5_000; i++) {
            expected.merge(new Point((int) (i % 13), (int) (i % 11)), 1L, Long::sum);
        }
        assertThat(result.value()).extracting(KeyedResult::key)
                .containsExactlyElementsOf(expected.keySet().stream().sorted(byYThenXDescending).toList());
        assertThat(result.value()).allSatisfy(r -> assertThat(r.value()).isEqualTo(expected.get(r.key())));
    }

    @Test
    void aKeyTypeWithoutACodecFailsAtTheFirstItemUnlessTheStageKeepsEveryKeyInMemory() {
        assertThatThrownBy(() -> Pipeline.named("no-key-codec")
                .from(Source.range(0, 10))
                .aggregate("grid", i -> new PointKey((int) (i % 3)), Aggregators.count())
                .to(Sink.toList())
                .run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("Stage 'grid' of pipeline 'no-key-codec' failed")
                .hasMessageContaining("no built-in SpillCodec")
                .hasMessageContaining(PointKey.class.getName());

        List<KeyedResult<PointKey, Long>> inMemory = Pipeline.named("no-key-codec")
                .from(Source.range(0, 10))
                .aggregate("grid", i -> new PointKey((int) (i % 3)), Aggregators.count(),
                        AggregateOptions.defaults().withoutSpilling())
                .to(Sink.toList())
                .run(engine).value();
        assertThat(inMemory).containsExactly(new KeyedResult<>(new PointKey(0), 4L),
                new KeyedResult<>(new PointKey(1), 3L), new KeyedResult<>(new PointKey(2), 3L));
    }

    /** A comparable key type without a built-in codec. */
    record PointKey(int x) implements Comparable<PointKey> {
        @Override
        public int compareTo(PointKey o) {
            return Integer.compare(x, o.x);
        }
    }

    @Test
    void topKOfWordCountsIsMostFrequentFirstTiesInAlphabeticalOrder() {
        List<String> words = words(WORDS, SEED + 2);
        Comparator<KeyedResult<String, Long>> mostFrequentFirst = Comparator
                .comparing(KeyedResult<String, Long>::value, Comparator.reverseOrder())
                .thenComparing(KeyedResult::key);

        RunResult<List<KeyedResult<String, Long>>> result = Pipeline.named("top-words")
                .from(Source.fromIterable(words))
                .aggregate("count-words", word -> word, Aggregators.count(), spillingHere(TINY))
                .to(Sink.topK(25, mostFrequentFirst))
                .run(engine)
                .verifyBalanced();

        List<KeyedResult<String, Long>> expected = sorted(countWithHashMap(words)).stream()
                .sorted(mostFrequentFirst).limit(25).toList();
        assertThat(result.value()).containsExactlyElementsOf(expected);
        // the data has ties among the kept counts, so the alphabetical tie-break is exercised
        assertThat(expected.stream().map(KeyedResult::value).distinct().count()).isLessThan(25);
    }

    private static String keyOrFail(long x) {
        if (x % 97 == 13) {
            throw new IllegalArgumentException("bad item " + x);
        }
        return "k" + (x % 101);
    }

    private static Map<String, Long> countSurvivors(long items) {
        Map<String, Long> counts = new HashMap<>();
        for (long x = 0; x < items; x++) {
            if (x % 97 != 13) {
                counts.merge("k" + (x % 101), 1L, Long::sum);
            }
        }
        return counts;
    }

    @Test
    void skippedItemsAreCountedAndLeaveNoTraceInTheResults() {
        RunResult<List<KeyedResult<String, Long>>> result = Pipeline.named("skip-bad")
                .from(Source.range(0, 20_000))
                .aggregate("count", StageAggregateTest::keyOrFail, Aggregators.count(),
                        spillingHere(TINY.withErrorPolicy(ErrorPolicy.skip())))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        long bad = 20_000 / 97 + (20_000 % 97 > 13 ? 1 : 0);
        assertThat(result.value()).containsExactlyElementsOf(sorted(countSurvivors(20_000)));
        assertThat(result.stage("count").skipped()).isEqualTo(bad);
        assertThat(result.stage("count").processed()).isEqualTo(20_000 - bad);
    }

    @Test
    void aFailingAddIsDeadLetteredWithItsItemAndTheAccumulatorIsUntouched() {
        List<DeadLetter> letters = new CopyOnWriteArrayList<>();
        RunResult<List<KeyedResult<String, RegionStats>>> result = Pipeline.named("dead-letter-bad")
                .from(Source.range(0, 5_000))
                .aggregate("stats", x -> "k" + (x % 7),
                        Aggregators.combine(Aggregators.<Long>count(), Aggregators.sumDouble(x -> x),
                                Aggregators.average(x -> {
                                    if (x % 50 == 3) {
                                        throw new IllegalStateException("no average for " + x);
                                    }
                                    return x;
                                }), RegionStats::new),
                        spillingHere(TINY.withErrorPolicy(ErrorPolicy.deadLetter(Sink.forEach(letters::add)))))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertThat(letters).hasSize(100).allSatisfy(letter -> {
            assertThat(letter.stage()).isEqualTo("stats");
            assertThat((Long) letter.item() % 50).isEqualTo(3);
            assertThat(letter.error()).hasMessage("no average for " + letter.item());
        });
        // the count and sum parts did not see the failed items either
        Map<String, long[]> expected = new HashMap<>();
        for (long x = 0; x < 5_000; x++) {
            if (x % 50 != 3) {
                long[] countAndSum = expected.computeIfAbsent("k" + (x % 7), k -> new long[2]);
                countAndSum[0]++;
                countAndSum[1] += x;
            }
        }
        assertThat(result.value()).hasSize(7).allSatisfy(r -> {
            long[] countAndSum = expected.get(r.key());
            assertThat(r.value()).isEqualTo(new RegionStats(countAndSum[0], countAndSum[1],
                    (double) countAndSum[1] / countAndSum[0]));
        });
        assertThat(result.stage("stats").deadLettered()).isEqualTo(100);
    }

    @Test
    void failFastNamesTheStageAndTheItemAndDeletesTheSpillFiles() throws IOException {
        assertThatThrownBy(() -> Pipeline.named("fail-late")
                .from(Source.range(0, 20_000))
                .aggregate("count", x -> {
                    if (x == 15_000) {
                        throw new IllegalArgumentException("bad key");
                    }
                    return "k" + x;
                }, Aggregators.count(), spillingHere(AggregateOptions.defaults().withMaxKeysInMemory(1_000)))
                .to(Sink.toList())
                .run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessage("Stage 'count' of pipeline 'fail-late' failed on item 15000: "
                        + "IllegalArgumentException: bad key");

        assertThat(spillFilesLeft()).isEmpty();
    }

    @Test
    void aFailingSinkWhileResultsAreEmittedDeletesTheSpillFiles() throws IOException {
        assertThatThrownBy(() -> Pipeline.named("sink-fails")
                .from(Source.range(0, 20_000))
                .aggregate("count", x -> "k" + x, Aggregators.count(), spillingHere(TINY))
                .to(Sink.forEach(r -> {
                    if (r.key().equals("k15000")) {
                        throw new IllegalStateException("sink is full");
                    }
                }))
                .run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("<sink>");

        assertThat(spillFilesLeft()).isEmpty();
    }

    @Test
    void aFailingMergeFailsTheRunNamingTheStageAndTheKey() throws IOException {
        Aggregator<Long, Long, Long> mergeFails = Aggregators.of(() -> 0L, (n, x) -> n + 1, (a, b) -> {
            throw new ArithmeticException("cannot merge");
        }, n -> n, SpillCodec.longs());

        assertThatThrownBy(() -> Pipeline.named("merge-fails")
                .from(Source.range(0, 100))
                .aggregate("count", x -> x % 10, mergeFails,
                        spillingHere(AggregateOptions.defaults().withMaxKeysInMemory(5)))
                .to(Sink.toList())
                .run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageStartingWith("Stage 'count' of pipeline 'merge-fails' failed: IllegalStateException: "
                        + "the aggregator 'custom' failed to merge the accumulators of key 0")
                .hasRootCauseMessage("cannot merge");
        assertThat(spillFilesLeft()).isEmpty();
    }

    @Test
    void aSpillThatCannotWriteFailsTheRunNamingTheStageAndTheDirectory() throws IOException {
        Path notADirectory = Files.writeString(spillDir.resolve("a-file"), "not a directory");

        assertThatThrownBy(() -> Pipeline.named("cannot-spill")
                .from(Source.range(0, 1_000))
                .aggregate("count", x -> x, Aggregators.count(),
                        AggregateOptions.defaults().withMaxKeysInMemory(10).withSpillDirectory(notADirectory))
                .to(Sink.toList())
                .run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageStartingWith("Stage 'count' of pipeline 'cannot-spill' failed: UncheckedIOException: "
                        + "spilling 10 keys to a new file under " + notADirectory + " failed");
    }

    @Test
    void cancellingWhileFoldingDeletesTheSpillFilesAndStopsTheThreads() throws Exception {
        CountingSource endless = CountingSource.endless();
        Execution<List<KeyedResult<Long, Long>>> execution = Pipeline.named("cancel-folding")
                .from(endless)
                .aggregate("count", x -> x, Aggregators.count(),
                        spillingHere(AggregateOptions.defaults().withMaxKeysInMemory(100)))
                .to(Sink.toList())
                .start(engine);
        awaitUntil(() -> spillFilesLeft().size() >= 5); // several runs spilled: the stage is folding

        assertThat(execution.cancel()).isTrue();

        assertThatThrownBy(execution::await).isInstanceOf(PipelineCancelledException.class);
        assertThat(spillFilesLeft()).isEmpty();
        assertThat(endless.closed).isTrue();
        assertThat(ThreadLeaks.liveThreadsOf("cancel-folding")).isEmpty();
    }

    @Test
    void cancellingWhileResultsAreEmittedDeletesTheSpillFiles() throws IOException {
        Publisher<KeyedResult<String, Long>> results = Pipeline.named("cancel-emitting")
                .from(Source.range(0, 5_000))
                .aggregate("count", x -> String.format("k%05d", x), Aggregators.count(), spillingHere(TINY))
                .toPublisher(engine);

        StepVerifier.create(results, 2)
                .expectNext(new KeyedResult<>("k00000", 1L), new KeyedResult<>("k00001", 1L))
                .thenCancel()
                .verify(Duration.ofSeconds(30));

        assertThat(spillFilesLeft()).isEmpty();
        // the run's threads are shut down when the subscription ends; they stop soon after
        awaitUntil(() -> ThreadLeaks.liveThreadsOf("cancel-emitting").isEmpty());
    }

    @Test
    void resultsAreEmittedOnlyAsFastAsDownstreamAsks() {
        Pipeline<List<KeyedResult<Long, Long>>> pipeline = Pipeline.named("on-demand")
                .from(Source.range(0, 1_000))
                .aggregate("count", x -> x % 100, Aggregators.count(), spillingHere(TINY))
                .to(Sink.toList());
        RunState state = new RunState(pipeline);
        RunResources resources = new RunResources("on-demand");
        Flux<Object> items = new PipelineAssembly(state, resources).assemble();

        StepVerifier.create(items, 0)
                .expectSubscription()
                .thenRequest(3)
                .expectNext(new KeyedResult<>(0L, 10L), new KeyedResult<>(1L, 10L), new KeyedResult<>(2L, 10L))
                .then(() -> assertThat(BackpressureTest.awaitQuiet(state.stages.get(0).emitted::sum)).isEqualTo(3))
                .thenRequest(97)
                .expectNextCount(97)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        resources.shutdown();
    }

    @Test
    void anEmptyInputGivesNoResults() {
        RunResult<List<KeyedResult<Long, Long>>> result = Pipeline.named("empty")
                .from(Source.range(0, 0))
                .aggregate("count", x -> x, Aggregators.count())
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).isEmpty();
        assertThat(result.stage("count")).isEqualTo(new StageStats("count", "aggregate", 0, 0, 0, 0));
    }
}
