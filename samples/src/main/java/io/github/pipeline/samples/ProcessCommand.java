package io.github.pipeline.samples;

import io.github.pipeline.api.ItemCodec;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.ProcessWorkers;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.ReactorEngine;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code process} sample: the seed's {@code f(x) = x**3}, and a CPU-heavy function, computed by
 * worker processes running a Python script ({@code process_worker.py}, shipped in the jar and written to
 * a temporary file), and the same functions as a Java stage on threads, in the same run. It prints the
 * time per item of each and, from the cheap cube, the cost of crossing a process boundary: writing the
 * item to a pipe, the worker reading and parsing it, writing its answer back, and the engine reading it,
 * the seed's "data transmission".
 *
 * <pre>{@code
 * with mp.Pool(processes = n) as pool:      # the processes here are Python workers fed over pipes
 *   sum(pool.map(f, range(1, N + 1)))
 * }</pre>
 *
 * <p>The workers get the function's name as their {@linkplain ProcessWorkers#withInitializer
 * initializer} line, once each, not with every item. Each run is done {@code --repetitions} times,
 * taking turns, and the median time is shown.
 */
@Command(name = "process", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = "f(x) = x**3 and a CPU-heavy function in Python worker processes against the same in a Java "
                + "thread stage: prints the time per item of each and the cost of crossing a process boundary.")
public final class ProcessCommand implements Callable<Integer> {

    /** The script the workers run, a resource of this class. */
    static final String SCRIPT = "process_worker.py";

    @Option(names = "--count", paramLabel = "N",
            description = "Numbers for the cube: range(1, N + 1) (default: ${DEFAULT-VALUE}).")
    private long count = 100_000;

    @Option(names = "--heavy-count", paramLabel = "N",
            description = "Numbers for the CPU-heavy function (default: ${DEFAULT-VALUE}).")
    private long heavyCount = 2_000;

    @Option(names = "--heavy-steps", paramLabel = "K",
            description = "Loop steps of the CPU-heavy function per item (default: ${DEFAULT-VALUE}).")
    private int heavySteps = 5_000;

    @Option(names = "--in-flight", paramLabel = "K",
            description = "Items each worker holds at once (default: ${DEFAULT-VALUE}).")
    private int inFlight = ProcessWorkers.DEFAULT_IN_FLIGHT;

    @Option(names = "--repetitions", paramLabel = "R",
            description = "Timed runs of each pipeline, taking turns; the median is shown (default: ${DEFAULT-VALUE}).")
    private int repetitions = 3;

    @Option(names = "--python", paramLabel = "PROGRAM",
            description = "The Python 3 interpreter (default: ${DEFAULT-VALUE}, looked up on the PATH).")
    private String python = "python3";

    @Mixin
    private ParallelismOption parallelism;

    @Spec
    private CommandSpec spec;

    /** The CPU-heavy function of the sample, the same sum as the Python script's {@code heavy}. */
    public static final class HeavyFunction {

        private HeavyFunction() {
        }

        /**
         * Sums {@code (x * i + i) mod 1000003} for {@code i} in {@code [0, steps)}.
         *
         * @param x     the number, at most about 9 x 10^12 / steps so that nothing overflows
         * @param steps the loop steps
         * @return the sum
         */
        public static long apply(long x, int steps) {
            long total = 0;
            for (long i = 0; i < steps; i++) {
                total += (x * i + i) % 1000003;
            }
            return total;
        }
    }

    /**
     * The cube, summed, as a Java stage on {@code parallelism} rails.
     *
     * @param count       how many numbers
     * @param parallelism rails
     * @return the pipeline
     */
    public static Pipeline<BigInteger> cubeOnThreads(long count, int parallelism) {
        return Pipeline.named("cube-threads")
                .from(Source.range(1, count + 1))
                .map("f", CubeCommand::f, StageOptions.parallel(parallelism))
                .to(Sink.reduce(BigInteger.ZERO, BigInteger::add));
    }

    /**
     * The cube, summed, computed by {@code workers} Python processes running {@code script}.
     *
     * @param count    how many numbers
     * @param workers  worker processes
     * @param inFlight items each worker holds at once
     * @param python   the interpreter
     * @param script   the worker script
     * @return the pipeline
     */
    public static Pipeline<BigInteger> cubeInProcesses(long count, int workers, int inFlight, String python,
                                                       Path script) {
        return Pipeline.named("cube-processes")
                .from(Source.range(1, count + 1))
                .process("f", workers(python, script, workers, inFlight).withInitializer("cube"),
                        ItemCodec.of(String::valueOf, BigInteger::new), StageOptions.sequential().withOrdered(false))
                .to(Sink.reduce(BigInteger.ZERO, BigInteger::add));
    }

    /**
     * The CPU-heavy function, summed, as a Java stage on {@code parallelism} rails.
     *
     * @param count       how many numbers
     * @param steps       loop steps per item
     * @param parallelism rails
     * @return the pipeline
     */
    public static Pipeline<Long> heavyOnThreads(long count, int steps, int parallelism) {
        return Pipeline.named("heavy-threads")
                .from(Source.range(1, count + 1))
                .map("heavy", x -> HeavyFunction.apply(x, steps), StageOptions.parallel(parallelism))
                .to(Sink.reduce(0L, Long::sum));
    }

    /**
     * The CPU-heavy function, summed, computed by {@code workers} Python processes running {@code script}.
     *
     * @param count    how many numbers
     * @param steps    loop steps per item
     * @param workers  worker processes
     * @param inFlight items each worker holds at once
     * @param python   the interpreter
     * @param script   the worker script
     * @return the pipeline
     */
    public static Pipeline<Long> heavyInProcesses(long count, int steps, int workers, int inFlight, String python,
                                                  Path script) {
        return Pipeline.named("heavy-processes")
                .from(Source.range(1, count + 1))
                .process("heavy", workers(python, script, workers, inFlight).withInitializer("heavy:" + steps),
                        ItemCodec.of(String::valueOf, Long::parseLong), StageOptions.sequential().withOrdered(false))
                .to(Sink.reduce(0L, Long::sum));
    }

    private static ProcessWorkers workers(String python, Path script, int workers, int inFlight) {
        return ProcessWorkers.of(python, script.toString()).withWorkers(workers).withInFlightPerWorker(inFlight);
    }

    /**
     * Writes the worker script, a resource of this class, to a new temporary file.
     *
     * @return the file; the caller deletes it
     */
    static Path extractScript() {
        try (InputStream in = Objects.requireNonNull(ProcessCommand.class.getResourceAsStream(SCRIPT), SCRIPT)) {
            Path file = Files.createTempFile("pipeline-process-worker-", ".py");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the worker script to a temporary file", e);
        }
    }

    /**
     * Runs the four pipelines, taking turns, and prints the table on stdout.
     *
     * @return 0, or 1 if the processes' results differ from the threads'
     * @throws ParameterException if an option is out of range or the interpreter is not found
     */
    @Override
    public Integer call() {
        int n = parallelism.parallelism();
        check(count >= 1 && count <= 1_000_000_000, "--count must be between 1 and 1000000000, got " + count);
        check(heavyCount >= 1 && heavyCount <= 1_000_000, "--heavy-count must be between 1 and 1000000, got " + heavyCount);
        check(heavySteps >= 1 && heavySteps <= 1_000_000, "--heavy-steps must be between 1 and 1000000, got " + heavySteps);
        check(inFlight >= 1 && inFlight <= 65536, "--in-flight must be between 1 and 65536, got " + inFlight);
        check(repetitions >= 1 && repetitions <= 100, "--repetitions must be between 1 and 100, got " + repetitions);
        check(isProgram(python), "cannot find the Python interpreter '" + python + "': give one with --python");
        Path script = extractScript();
        try {
            ReactorEngine engine = ReactorEngine.create();
            List<Measured> rows = List.of(
                    new Measured("cube", "threads: " + n + " rails", count, () -> cubeOnThreads(count, n).run(engine)),
                    new Measured("cube", "processes: " + n + " x " + python, count,
                            () -> cubeInProcesses(count, n, inFlight, python, script).run(engine)),
                    new Measured("heavy", "threads: " + n + " rails", heavyCount,
                            () -> heavyOnThreads(heavyCount, heavySteps, n).run(engine)),
                    new Measured("heavy", "processes: " + n + " x " + python, heavyCount,
                            () -> heavyInProcesses(heavyCount, heavySteps, n, inFlight, python, script).run(engine)));
            for (int r = 0; r < repetitions; r++) {
                for (Measured row : rows) {
                    row.runOnce();
                }
            }
            return print(rows, n);
        } finally {
            try {
                Files.deleteIfExists(script);
            } catch (IOException e) {
                spec.commandLine().getErr().println("pipeline-samples process: cannot delete " + script + ": " + e);
            }
        }
    }

    private int print(List<Measured> rows, int n) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%-6s %-28s %10s %10s %12s  %s%n", "f", "stage", "items", "time", "per item", "result");
        for (Measured row : rows) {
            out.printf(Locale.ROOT, "%-6s %-28s %10d %8.3f s %9.2f us  %s%n", row.function, row.stage, row.items,
                    row.median().toNanos() / 1e9, row.microsPerItem(), row.value);
        }
        Measured cubeThreads = rows.get(0);
        Measured cubeProcesses = rows.get(1);
        double crossing = cubeProcesses.microsPerItem() - cubeThreads.microsPerItem();
        out.printf(Locale.ROOT, "crossing a process boundary: about %.2f us per item on %d workers (%.2f us of a "
                        + "worker's time each), from the cube: processes minus threads%n", crossing, n, crossing * n);
        boolean agree = Objects.equals(rows.get(0).value, rows.get(1).value)
                && Objects.equals(rows.get(2).value, rows.get(3).value);
        if (!agree) {
            spec.commandLine().getErr().println("pipeline-samples process: the processes' results differ from the threads'");
            return 1;
        }
        out.println("the processes' results agree with the threads'");
        return 0;
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /** Whether {@code program} is an executable file, given as a path or found on the PATH. */
    static boolean isProgram(String program) {
        if (program.contains(File.separator)) {
            return Files.isExecutable(Path.of(program));
        }
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /** One row of the table: a pipeline run several times. */
    private static final class Measured {
        final String function;
        final String stage;
        final long items;
        private final Supplier<RunResult<?>> run;
        private final List<Duration> times = new ArrayList<>();
        Object value;

        Measured(String function, String stage, long items, Supplier<RunResult<?>> run) {
            this.function = function;
            this.stage = stage;
            this.items = items;
            this.run = run;
        }

        void runOnce() {
            RunResult<?> result = run.get();
            times.add(result.duration());
            value = result.value();
        }

        Duration median() {
            List<Duration> sorted = times.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }

        double microsPerItem() {
            return median().toNanos() / 1e3 / items;
        }
    }
}
