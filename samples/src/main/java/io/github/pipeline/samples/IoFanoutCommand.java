package io.github.pipeline.samples;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code io-fanout} sample: many slow blocking calls (a remote service, a database) made
 * {@code --concurrency} at a time on a blocking stage, the seed's case for threads over processes.
 * By Little's law a stage that keeps C calls of latency L in flight can do at most C / L calls per
 * second; the sample prints what it reached and the ratio to that limit.
 *
 * <pre>{@code
 * java -jar samples/target/pipeline-samples.jar io-fanout --count 2000 --latency 10 --concurrency 64
 * }</pre>
 */
@Command(name = "io-fanout", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = "Simulated blocking calls (a sleep of --latency ms each), --concurrency at a time: prints "
                + "the throughput and its ratio to the Little's-law limit (concurrency / latency).")
public final class IoFanoutCommand implements Callable<Integer> {

    @Option(names = "--count", paramLabel = "N", description = "How many calls (default: ${DEFAULT-VALUE}).")
    private long count = 2_000;

    @Option(names = "--latency", paramLabel = "MS", description = "Milliseconds each call takes (default: ${DEFAULT-VALUE}).")
    private long latencyMillis = 10;

    @Option(names = "--concurrency", paramLabel = "C", description = "Calls in flight at once (default: ${DEFAULT-VALUE}).")
    private int concurrency = 64;

    @Option(names = "--virtual-threads",
            description = "Run each call on a virtual thread (Java 21 or later) instead of a platform thread.")
    private boolean virtualThreads;

    @Mixin
    private ProgressOptions progress;

    @Spec
    private CommandSpec spec;

    /**
     * Builds the pipeline: {@code count} calls of {@code latency} each, {@code concurrency} at a time.
     *
     * @param count       how many calls
     * @param latency     how long each call takes
     * @param options     how the calls run: {@code StageOptions.blocking(c)} or {@code virtualThreads(c)}
     * @return the pipeline, whose value is the number of calls made
     */
    public static Pipeline<Long> fanOut(long count, Duration latency, StageOptions options) {
        return Pipeline.named("io-fanout")
                .from(Source.range(0, count))
                .map("call", x -> call(x, latency), options)
                .to(Sink.count());
    }

    /** A simulated remote call: waits {@code latency}, then answers. */
    private static long call(long x, Duration latency) {
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("call " + x + " interrupted", e);
        }
        return x;
    }

    /**
     * Runs the calls and prints the throughput and the Little's-law limit on stdout.
     *
     * @return the exit status, 0
     */
    @Override
    public Integer call() {
        if (count < 1 || latencyMillis < 1 || concurrency < 1) {
            throw new ParameterException(spec.commandLine(), "--count, --latency and --concurrency must be at least 1");
        }
        StageOptions options;
        try {
            options = virtualThreads ? StageOptions.virtualThreads(concurrency) : StageOptions.blocking(concurrency);
        } catch (UnsupportedOperationException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Duration latency = Duration.ofMillis(latencyMillis);
        RunResult<Long> result = progress.watch(fanOut(count, latency, options)).run();
        double seconds = result.duration().toNanos() / 1e9;
        double throughput = result.value() / seconds;
        double limit = concurrency * 1000.0 / latencyMillis;
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "calls         %d%n", result.value());
        out.printf(Locale.ROOT, "latency       %d ms%n", latencyMillis);
        out.printf(Locale.ROOT, "concurrency   %d (%s)%n", concurrency, virtualThreads ? "virtual threads" : "platform threads");
        out.printf(Locale.ROOT, "elapsed       %.3f s%n", seconds);
        out.printf(Locale.ROOT, "throughput    %.0f calls/s%n", throughput);
        out.printf(Locale.ROOT, "little's law  %.0f calls/s (concurrency / latency)%n", limit);
        out.printf(Locale.ROOT, "ratio         %.2f%n", throughput / limit);
        spec.commandLine().getErr().print(result.summary());
        return 0;
    }
}
