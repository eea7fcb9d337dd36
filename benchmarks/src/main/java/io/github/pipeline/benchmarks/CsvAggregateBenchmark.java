package io.github.pipeline.benchmarks;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.benchmarks.CsvRecords.Scored;
import io.github.pipeline.runtime.ReactorEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Workload (d) of issue #6, a realistic one: parse {@code items} CSV-like lines (made in memory before
 * the run), score each with the CPU-heavy function (about 5 us), and sum the scores per key
 * ({@code keys} keys). Every method returns the same map of sums.
 *
 * <p>The ways aggregate as they naturally would: the engine and Reactor in one sequential sink, parallel
 * streams with {@code groupingBy}, the executor in one map per task merged at the end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 7, time = 2)
public class CsvAggregateBenchmark {

    /** How many lines. */
    @Param("100000")
    public int items;

    /** How many distinct keys the lines spread over. */
    @Param("100")
    public int keys;

    private List<String> lines;
    private ReactorEngine engine;
    private ExecutorService executor;
    private Pipeline<Map<String, Long>> engineSequential;
    private Pipeline<Map<String, Long>> engineDefaults;
    private Pipeline<Map<String, Long>> engineExplicit;

    /** Makes the lines, builds the pipelines and starts one executor thread per core. */
    @Setup(Level.Trial)
    public void setUp() {
        lines = CsvRecords.lines(items, keys, 42);
        engine = ReactorEngine.create();
        executor = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        engineSequential = pipeline("csv-sequential", StageOptions.sequential());
        engineDefaults = pipeline("csv-defaults", StageOptions.parallel());
        engineExplicit = pipeline("csv-explicit", Workloads.explicitOptions());
    }

    private Pipeline<Map<String, Long>> pipeline(String name, StageOptions options) {
        return pipeline(name, lines, options);
    }

    /** The workload as a pipeline: parse and score each line with {@code options}, sum the scores per key. */
    static Pipeline<Map<String, Long>> pipeline(String name, List<String> lines, StageOptions options) {
        return Pipeline.named(name)
                .from(Source.fromIterable(lines))
                .map("parse", CsvRecords::parse, options)
                .map("score", CsvRecords::score, options)
                .to(Sink.fold(HashMap::new, CsvRecords::add));
    }

    /** Stops the executor's threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
        executor.shutdownNow();
    }

    /**
     * The baseline: a {@code for} loop into one map.
     *
     * @return the sums per key
     */
    @Benchmark
    public Map<String, Long> plainLoop() {
        Map<String, Long> sums = new HashMap<>();
        for (String line : lines) {
            CsvRecords.add(sums, CsvRecords.score(CsvRecords.parse(line)));
        }
        return sums;
    }

    /**
     * Reactor on one thread: {@code map(parse).map(score).reduceWith(HashMap::new, add)}.
     *
     * @return the sums per key
     */
    @Benchmark
    public Map<String, Long> reactorSequential() {
        return Flux.fromIterable(lines)
                .map(CsvRecords::parse)
                .map(CsvRecords::score)
                .reduceWith(HashMap<String, Long>::new, CsvRecords::add)
                .block();
    }

    /**
     * Hand-written per-item rails: {@code parallel(2).runOn(Schedulers.parallel())}, both maps on the
     * rails, then one sequential aggregation.
     *
     * @return the sums per key
     */
    @Benchmark
    public Map<String, Long> reactorRailsPerItem() {
        return Flux.fromIterable(lines)
                .parallel(2)
                .runOn(Schedulers.parallel())
                .map(CsvRecords::parse)
                .map(CsvRecords::score)
                .sequential()
                .reduceWith(HashMap<String, Long>::new, CsvRecords::add)
                .block();
    }

    /**
     * Hand-written rails over {@code buffer(1024)} chunks, the results flowing on one by one to the
     * aggregation.
     *
     * @return the sums per key
     */
    @Benchmark
    public Map<String, Long> reactorRailsChunked() {
        return Flux.fromIterable(lines)
                .buffer(Workloads.CHUNK)
                .parallel(2)
                .runOn(Schedulers.parallel())
                .map(CsvAggregateBenchmark::parseAndScore)
                .sequential()
                .flatMapIterable(scored -> scored)
                .reduceWith(HashMap<String, Long>::new, CsvRecords::add)
                .block();
    }

    /**
     * Java's parallel streams: {@code parallelStream().map(parse).map(score)} collected with
     * {@code groupingBy(key, summingLong(score))}.
     *
     * @return the sums per key
     */
    @Benchmark
    public Map<String, Long> parallelStream() {
        return lines.parallelStream()
                .map(CsvRecords::parse)
                .map(CsvRecords::score)
                .collect(Collectors.groupingBy(Scored::key, Collectors.summingLong(Scored::score)));
    }

    /**
     * An executor with one thread per core and tasks of 1024 lines, each summing into its own map; the
     * caller merges the maps.
     *
     * @return the sums per key
     * @throws InterruptedException if interrupted while waiting for the tasks
     * @throws ExecutionException if a task failed
     */
    @Benchmark
    public Map<String, Long> executorChunked() throws InterruptedException, ExecutionException {
        List<Future<Map<String, Long>>> parts = new ArrayList<>(lines.size() / Workloads.CHUNK + 1);
        for (int from = 0; from < lines.size(); from += Workloads.CHUNK) {
            List<String> chunk = lines.subList(from, Math.min(lines.size(), from + Workloads.CHUNK));
            parts.add(executor.submit(() -> {
                Map<String, Long> sums = new HashMap<>();
                for (String line : chunk) {
                    CsvRecords.add(sums, CsvRecords.score(CsvRecords.parse(line)));
                }
                return sums;
            }));
        }
        Map<String, Long> sums = new HashMap<>();
        for (Future<Map<String, Long>> part : parts) {
            part.get().forEach((key, sum) -> sums.merge(key, sum, Long::sum));
        }
        return sums;
    }

    /**
     * The engine, both stages sequential (no options): the same pipeline at parallelism 1.
     *
     * @return the sums per key
     */
    @Benchmark
    public Map<String, Long> engineSequential() {
        return engineSequential.run(engine).value();
    }

    /**
     * The engine, both stages with {@code StageOptions.parallel()}: they share the rails.
     *
     * @return the sums per key
     */
    @Benchmark
    public Map<String, Long> engineDefaults() {
        return engineDefaults.run(engine).value();
    }

    /**
     * The engine with explicit options, {@link Workloads#explicitOptions()}, on both stages.
     *
     * @return the sums per key
     */
    @Benchmark
    public Map<String, Long> engineExplicit() {
        return engineExplicit.run(engine).value();
    }

    private static List<Scored> parseAndScore(List<String> chunk) {
        List<Scored> scored = new ArrayList<>(chunk.size());
        for (String line : chunk) {
            scored.add(CsvRecords.score(CsvRecords.parse(line)));
        }
        return scored;
    }
}
