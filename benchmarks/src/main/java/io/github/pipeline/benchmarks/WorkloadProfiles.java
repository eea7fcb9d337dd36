package io.github.pipeline.benchmarks;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.ReactorEngine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the engine's own profile of each benchmark workload run with default options, the pipelines of
 * the {@code engineDefaults} benchmarks at their JMH sizes: where each run's time goes, by the engine's
 * account (see docs/observability.md), next to the JMH figures of docs/benchmarks.md. Not a benchmark:
 * each workload runs for 8 s ({@link #WARM_UP_NANOS}; at least {@value #WARM_UP_RUNS} times) to warm up,
 * then once more, and that run's profile is printed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.pipeline.benchmarks.WorkloadProfiles [scale]
 * </pre>
 *
 * {@code scale} (default 1) multiplies every workload's item count, and, below 1, the warm-up time; the
 * tests run it at a small fraction.
 */
public final class WorkloadProfiles {

    /** Runs before the one whose profile is printed, at least... */
    static final int WARM_UP_RUNS = 4;
    /** ...and for at least this long: the cheap workload's runs take 20 or so to settle (as in JMH's warm-up). */
    static final long WARM_UP_NANOS = 8_000_000_000L;

    private WorkloadProfiles() {
    }

    /**
     * Runs each workload and prints its profile to standard output.
     *
     * @param args an optional scale for the item counts, default 1
     */
    public static void main(String[] args) {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        print(scale, System.out);
    }

    /** Runs the four workloads at {@code scale} times their benchmark sizes and prints their profiles. */
    static void print(double scale, PrintStream out) {
        ReactorEngine engine = ReactorEngine.create();
        int cheap = scaled(10_000_000, scale);
        int heavy = scaled(200_000, scale);
        int calls = scaled(2_000, scale);
        int lines = scaled(100_000, scale);
        long warmUp = (long) (WARM_UP_NANOS * Math.min(1.0, scale));
        profile(out, engine, warmUp, "cheap function, " + cheap + " items",
                LongRangeRuns.pipeline("cube-defaults", cheap, Workloads::cube, StageOptions.parallel()));
        profile(out, engine, warmUp, "CPU-heavy function, " + heavy + " items",
                LongRangeRuns.pipeline("heavy-defaults", heavy, Workloads::heavy, StageOptions.parallel()));
        profile(out, engine, warmUp, "blocking calls of 10 ms, " + calls + " items, 256 at once",
                LongRangeRuns.pipeline("sleep-defaults", calls, x -> Workloads.sleepThenEcho(x, 10),
                        StageOptions.blocking(256)));
        List<String> csv = CsvRecords.lines(lines, 100, 42);
        profile(out, engine, warmUp, "CSV lines parsed, scored and summed per key, " + lines + " lines",
                CsvAggregateBenchmark.pipeline("csv-defaults", csv, StageOptions.parallel()));
    }

    private static int scaled(int items, double scale) {
        return (int) Math.max(1, Math.round(items * scale));
    }

    private static void profile(PrintStream out, ReactorEngine engine, long warmUpNanos, String title,
                                Pipeline<?> pipeline) {
        List<Long> millis = new ArrayList<>();
        long warmUpEnd = System.nanoTime() + warmUpNanos;
        while (millis.size() < WARM_UP_RUNS || System.nanoTime() < warmUpEnd) {
            long start = System.nanoTime();
            pipeline.run(engine);
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        long start = System.nanoTime();
        RunResult<?> last = pipeline.run(engine);
        long lastMillis = (System.nanoTime() - start) / 1_000_000;
        out.printf(Locale.ROOT, "== %s: %d warm-up runs (the last five %s ms), then one of %d ms%n", title,
                millis.size(), millis.subList(Math.max(0, millis.size() - 5), millis.size()), lastMillis);
        out.println(last.profile().text());
    }
}
