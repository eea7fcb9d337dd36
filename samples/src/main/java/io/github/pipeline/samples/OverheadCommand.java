package io.github.pipeline.samples;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.ReactorEngine;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code overhead} sample: what the engine's metrics and profiling cost. The same pipeline runs on
 * three engines, taking turns, and the median time of each is compared:
 *
 * <ul>
 *   <li>{@code bare}: no meters (an empty composite registry, which drops everything) and no profiling;</li>
 *   <li>{@code metrics}: meters into a {@code SimpleMeterRegistry}, no profiling;</li>
 *   <li>{@code metrics+profiling}: the default engine.</li>
 * </ul>
 *
 * <p>Twice: with a cheap stage (one multiplication per item, where any cost per item shows) and with an
 * expensive one (about 50 microseconds of CPU per item). Each run is measured twice: its wall-clock time,
 * and the CPU time the whole process used meanwhile. On a machine shared with other work the CPU time is
 * the steadier of the two: waiting for a core lengthens the wall-clock time but not the CPU time.
 */
@Command(name = "overhead", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = "Measures what the engine's metrics and profiling cost, on a cheap and on an expensive stage: "
                + "prints the median time per item of each engine and the overhead against the bare engine.")
public final class OverheadCommand implements Callable<Integer> {

    @Option(names = "--cheap-items", paramLabel = "N", description = "Items through the cheap stage (default: ${DEFAULT-VALUE}).")
    private long cheapItems = 2_000_000;

    @Option(names = "--expensive-items", paramLabel = "N",
            description = "Items through the expensive stage (default: ${DEFAULT-VALUE}).")
    private long expensiveItems = 20_000;

    @Option(names = "--repetitions", paramLabel = "R",
            description = "Timed runs of each engine, taking turns (default: ${DEFAULT-VALUE}).")
    private int repetitions = 7;

    @Mixin
    private ParallelismOption parallelism;

    @Spec
    private CommandSpec spec;

    private static final String[] ENGINES = {"bare", "metrics", "metrics+profiling"};

    private static ReactorEngine engine(int index) {
        return switch (index) {
            case 0 -> ReactorEngine.create(new CompositeMeterRegistry()).withProfiling(false);
            case 1 -> ReactorEngine.create(new SimpleMeterRegistry()).withProfiling(false);
            default -> ReactorEngine.create(new SimpleMeterRegistry());
        };
    }

    /**
     * Runs the measurements and prints one line per stage and engine on stdout.
     *
     * @return the exit status, 0
     */
    @Override
    public Integer call() {
        if (cheapItems < 1 || expensiveItems < 1 || repetitions < 1) {
            throw new ParameterException(spec.commandLine(), "--cheap-items, --expensive-items and --repetitions "
                    + "must be at least 1");
        }
        int rails = parallelism.parallelism();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%-10s %-18s %10s %9s %9s %12s %9s%n", "stage", "engine", "wall ms", "ns/item",
                "vs bare", "CPU ns/item", "vs bare");
        measure(out, "cheap", cheapItems, n -> Pipeline.named("overhead-cheap")
                .from(Source.range(0, cheapItems))
                .map("cheap", x -> x * 31 + 7, StageOptions.parallel(n))
                .to(Sink.count()), rails);
        measure(out, "expensive", expensiveItems, n -> Pipeline.named("overhead-expensive")
                .from(Source.range(0, expensiveItems))
                .map("expensive", x -> Work.spin(x, 3), StageOptions.parallel(n))
                .to(Sink.count()), rails);
        out.printf(Locale.ROOT, "(%d rails, %d processors, median of %d runs each)%n", rails,
                Runtime.getRuntime().availableProcessors(), repetitions);
        return 0;
    }

    private void measure(PrintWriter out, String stage, long items, IntFunction<Pipeline<Long>> pipeline, int rails) {
        ReactorEngine[] engines = new ReactorEngine[ENGINES.length];
        for (int e = 0; e < engines.length; e++) {
            engines[e] = engine(e);
            pipeline.apply(rails).run(engines[e]); // warm-up, untimed
        }
        long[][] nanos = new long[engines.length][repetitions];
        long[][] cpu = new long[engines.length][repetitions];
        for (int r = 0; r < repetitions; r++) {
            for (int e = 0; e < engines.length; e++) {
                long cpuBefore = processCpuNanos();
                nanos[e][r] = pipeline.apply(rails).run(engines[e]).duration().toNanos();
                cpu[e][r] = processCpuNanos() - cpuBefore;
            }
        }
        double bare = median(nanos[0]);
        double bareCpu = median(cpu[0]);
        for (int e = 0; e < engines.length; e++) {
            double median = median(nanos[e]);
            double medianCpu = median(cpu[e]);
            out.printf(Locale.ROOT, "%-10s %-18s %10.1f %9.1f %9s %12.1f %9s%n", stage, ENGINES[e], median / 1e6,
                    median / items, e == 0 ? "-" : String.format(Locale.ROOT, "%+.1f%%", 100 * (median - bare) / bare),
                    medianCpu / items,
                    e == 0 ? "-" : String.format(Locale.ROOT, "%+.1f%%", 100 * (medianCpu - bareCpu) / bareCpu));
        }
    }

    /** The CPU time the whole JVM has used, or 0 where the platform does not say. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
}
