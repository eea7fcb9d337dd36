package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Pair;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineBuilder;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.StageStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

/** Every stage kind, source and sink, sequentially and on rails; every run must balance. */
class StageKindsTest {

    private final ReactorEngine engine = ReactorEngine.create();

    private static StageOptions options(int parallelism) {
        return parallelism == 1 ? StageOptions.sequential() : StageOptions.parallel(parallelism);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void mapAppliesTheFunctionToEveryItem(int parallelism) {
        RunResult<List<Long>> result = Pipeline.named("cubes")
                .from(Source.range(1, 1001))
                .map("cube", x -> x * x * x, options(parallelism))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).containsExactlyInAnyOrderElementsOf(
                LongStream.range(1, 1001).map(x -> x * x * x).boxed().toList());
        assertThat(result.stage("cube")).isEqualTo(new StageStats("cube", "map", 1000, 1000, 1000, 0));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 3})
    void filterKeepsMatchingItemsAndCountsTheRest(int parallelism) {
        RunResult<Long> result = Pipeline.named("evens")
                .from(Source.range(0, 1000))
                .filter("even", x -> x % 2 == 0, options(parallelism))
                .to(Sink.reduce(0L, Long::sum))
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).isEqualTo(LongStream.range(0, 1000).filter(x -> x % 2 == 0).sum());
        assertThat(result.stage("even")).isEqualTo(new StageStats("even", "filter", 1000, 500, 500, 500));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void flatMapOfIterablesCountsFanOut(int parallelism) {
        RunResult<List<String>> result = Pipeline.named("words")
                .from(Source.of("a b c", "", "d e"))
                .flatMap("split", line -> line.isEmpty() ? List.<String>of() : List.of(line.split(" ")),
                        options(parallelism).withOrdered(true))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).containsExactly("a", "b", "c", "d", "e");
        assertThat(result.stage("split")).isEqualTo(new StageStats("split", "flatMap", 3, 3, 5, 0));
    }

    @Test
    void flatMapStreamClosesEachStream() {
        List<AtomicBoolean> closed = new ArrayList<>();
        RunResult<Long> result = Pipeline.named("streams")
                .from(Source.range(0, 10))
                .flatMapStream("repeat", x -> {
                    AtomicBoolean flag = new AtomicBoolean();
                    synchronized (closed) {
                        closed.add(flag);
                    }
                    return Stream.of(x, x).onClose(() -> flag.set(true));
                }, StageOptions.parallel(2))
                .to(Sink.count())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).isEqualTo(20);
        assertThat(closed).hasSize(10).allMatch(AtomicBoolean::get);
    }

    @Test
    void flatMapPublisherReadsEachPublisherInOrder() {
        RunResult<List<Integer>> result = Pipeline.named("ranges")
                .from(Source.of(1, 2, 3))
                .flatMapPublisher("upto", n -> Flux.range(0, n), StageOptions.sequential())
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).containsExactly(0, 0, 1, 0, 1, 2);
    }

    @Test
    void batchMakesFullListsAndAPartialLastOne() {
        RunResult<List<List<Long>>> result = Pipeline.named("batches")
                .from(Source.range(0, 10))
                .batch("by-4", 4)
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).containsExactly(List.of(0L, 1L, 2L, 3L), List.of(4L, 5L, 6L, 7L), List.of(8L, 9L));
        assertThat(result.stage("by-4")).isEqualTo(new StageStats("by-4", "batch", 10, 10, 3, 0));
    }

    @Test
    void batchOfNothingEmitsNothing() {
        RunResult<Long> result = Pipeline.named("empty").from(Source.range(0, 0)).batch("b", 3)
                .to(Sink.count()).run(engine).verifyBalanced();
        assertThat(result.value()).isZero();
    }

    @Test
    void peekSeesEveryItemAndPassesItOn() {
        List<Long> seen = new ArrayList<>();
        RunResult<Long> result = Pipeline.named("peeking")
                .from(Source.range(0, 5))
                .peek("look", seen::add)
                .to(Sink.count())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).isEqualTo(5);
        assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void viaHandsTheItemsToAPublisherFunction() {
        RunResult<List<Long>> result = Pipeline.named("via")
                .from(Source.range(0, 10))
                .<Long>via("window-sums", items -> Flux.from(items).buffer(5).map(l -> l.stream().mapToLong(x -> x).sum()))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).containsExactly(10L, 35L);
        assertThat(result.stage("window-sums")).isEqualTo(new StageStats("window-sums", "via", 10, 10, 2, 0));
    }

    @Test
    void starmapOverZippedSourcesIsThePoolStarmapOfTheSeed() {
        PipelineBuilder<Pair<Long, Long>> pairs = Pipeline.named("f2").from(Source.zip(Source.range(1, 7), Source.range(1, 7)));
        RunResult<List<Long>> products = pairs
                .map("f2", Pair.function((Long x, Long y) -> x * y), StageOptions.parallel(2).withOrdered(true))
                .to(Sink.toList())
                .run(engine);
        RunResult<List<Long>> byTen = Pipeline.named("f2-repeat")
                .from(Source.zip(Source.range(1, 7), Source.repeat(10L)))
                .map("f2", Pair.function((Long x, Long y) -> x * y), StageOptions.parallel(2).withOrdered(true))
                .to(Sink.toList())
                .run(engine);

        assertThat(products.value()).containsExactly(1L, 4L, 9L, 16L, 25L, 36L);
        assertThat(byTen.value()).containsExactly(10L, 20L, 30L, 40L, 50L, 60L);
    }

    @Test
    void sourcesOfEveryForm() {
        AtomicBoolean streamClosed = new AtomicBoolean();
        assertThat(run(Source.of("x", "y"))).containsExactly("x", "y");
        assertThat(run(Source.fromIterable(List.of(1, 2, 3)))).containsExactly(1, 2, 3);
        assertThat(run(Source.fromStream(() -> Stream.of(4, 5).onClose(() -> streamClosed.set(true))))).containsExactly(4, 5);
        assertThat(streamClosed).isTrue();
        assertThat(run(Source.fromPublisher(Flux.just(6, 7)))).containsExactly(6, 7);
        int[] next = {0};
        assertThat(run(Source.generate(() -> next[0] < 3 ? next[0]++ : null))).containsExactly(0, 1, 2);
        assertThat(run(Source.generate(() -> "z", 2))).containsExactly("z", "z");
    }

    @Test
    void linesFromAFileToAFile(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.txt");
        Path out = dir.resolve("out/upper.txt");
        Files.write(in, IntStream.range(0, 500).mapToObj(i -> "line " + i).toList());

        RunResult<Long> result = Pipeline.named("upper")
                .from(Source.lines(in))
                .map("upper", String::toUpperCase, StageOptions.parallel(2).withOrdered(true))
                .to(Sink.lines(out))
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).isEqualTo(500);
        assertThat(Files.readAllLines(out)).isEqualTo(IntStream.range(0, 500).mapToObj(i -> "LINE " + i).toList());
        assertThat(Files.list(out.getParent()).map(p -> p.getFileName().toString()).collect(Collectors.toList()))
                .containsExactly("upper.txt");
    }

    @Test
    void aPipelineRunsAgainFromTheStart() {
        Pipeline<Long> pipeline = Pipeline.named("again").from(Source.range(0, 100)).to(Sink.count());
        assertThat(pipeline.run(engine).value()).isEqualTo(100);
        assertThat(pipeline.run(engine).value()).isEqualTo(100);
    }

    @Test
    void theDefaultEngineIsFoundOnTheClassPath() {
        assertThat(Pipeline.named("found").from(Source.range(0, 3)).to(Sink.count()).run().value()).isEqualTo(3);
    }

    private <T> List<T> run(Source<T> source) {
        return Pipeline.named("source-test").from(source).to(Sink.<T>toList()).run(engine).verifyBalanced().value();
    }
}
