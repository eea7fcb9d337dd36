package io.github.pipeline.benchmarks;

import io.github.pipeline.api.Chunking;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.ReactorEngine;
import java.time.Duration;
import java.util.Arrays;

/**
 * A hand-run sweep, not a JMH benchmark: the CPU-heavy workload ({@link Workloads#heavy}, 200,000 items)
 * through the engine with automatic chunks (at the default target, and at 1 ms) and with fixed chunk sizes, against Java's parallel streams,
 * each timed over 12 runs in one JVM, the first 6 discarded, printing the median of the other 6. It answers
 * one question quickly: does the chunk size explain the engine's distance from parallel streams?
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.github.pipeline.benchmarks.ChunkSizeSweep</pre>
 */
public final class ChunkSizeSweep {

    private static final int ITEMS = 200_000;
    private static final int RUNS = 12;

    private ChunkSizeSweep() {
    }

    /**
     * Runs the sweep.
     *
     * @param args chunk sizes to try besides automatic (default 40, 200, 1024)
     */
    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {40, 200, 1024}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        ReactorEngine engine = ReactorEngine.create();
        report("parallel streams", () -> LongRangeRuns.parallelStream(ITEMS, Workloads::heavy));
        report("engine, automatic chunks", run(engine, StageOptions.parallel()));
        report("engine, automatic, 1 ms", run(engine,
                StageOptions.parallel().withChunking(Chunking.auto().withTarget(Duration.ofMillis(1)))));
        for (int size : sizes) {
            report("engine, chunks of " + size,
                    run(engine, StageOptions.parallel().withChunking(Chunking.ofSize(size))));
        }
        System.exit(0);
    }

    private static Runnable run(ReactorEngine engine, StageOptions options) {
        Pipeline<Long> pipeline = LongRangeRuns.pipeline("sweep", ITEMS, Workloads::heavy, options);
        return () -> pipeline.run(engine);
    }

    private static void report(String way, Runnable job) {
        double[] millis = new double[RUNS / 2];
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            job.run();
            if (run >= RUNS / 2) {
                millis[run - RUNS / 2] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(millis);
        System.out.printf("%-28s %7.1f ms (median of %d, range %.1f-%.1f)%n", way,
                (millis[millis.length / 2 - 1] + millis[millis.length / 2]) / 2, millis.length, millis[0],
                millis[millis.length - 1]);
    }
}
