package io.github.pipeline.samples;

import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.SweepResult;
import io.github.pipeline.runtime.ReactorEngine;
import io.github.pipeline.runtime.RunReport;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --report FILE.html} and {@code --metrics-port PORT} options every sample takes: write the
 * run's report as an HTML page, and serve the engine's and the JVM's meters for Prometheus while the
 * sample runs. A sample gets its engine from {@link #engine()} and must {@link #close()} this when done.
 */
public final class ObservabilityOptions implements AutoCloseable {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Write the run's report (stage graph, time per stage, bottleneck, speedup chart) "
                    + "to FILE.html, a self-contained page.")
    private Path report;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve the engine's and the JVM's meters for Prometheus at "
                    + "127.0.0.1:PORT/metrics while the sample runs (0: any free port).")
    private Integer metricsPort;

    private MetricsServer server;

    /**
     * Returns the engine to run the sample's pipelines on: counting into the Prometheus registry when
     * {@code --metrics-port} is given (the server starts now, and its address is printed on stderr),
     * into a registry of its own otherwise.
     *
     * @return the engine
     * @throws ParameterException if the port or the report's directory is not valid
     */
    public ReactorEngine engine() {
        if (report != null) {
            Path directory = report.toAbsolutePath().getParent();
            if (directory == null || !Files.isDirectory(directory)) {
                throw new ParameterException(command.commandLine(),
                        "--report: the directory of " + report + " does not exist");
            }
        }
        if (metricsPort == null) {
            return ReactorEngine.create();
        }
        if (metricsPort < 0 || metricsPort > 65_535) {
            throw new ParameterException(command.commandLine(),
                    "--metrics-port must be between 0 and 65535, got " + metricsPort);
        }
        if (server == null) {
            try {
                server = MetricsServer.start(metricsPort);
            } catch (UncheckedIOException e) {
                throw new ParameterException(command.commandLine(), "--metrics-port: " + e.getMessage());
            }
            command.commandLine().getErr().println("metrics: " + server.url());
        }
        return ReactorEngine.create(server.registry());
    }

    /**
     * Prints the run's profile on stderr (time per stage, the bottleneck, the speedup model, the
     * suggestions), and writes the run's report to the {@code --report} file, if one was given.
     *
     * @param result the run's result
     */
    public void report(RunResult<?> result) {
        command.commandLine().getErr().print(result.profile().text());
        write(RunReport.of(result));
    }

    /**
     * Writes the run's report with a sweep's measured speedups to the {@code --report} file, if one
     * was given, and says so on stderr.
     *
     * @param result the run's result
     * @param sweep  the sweep
     */
    public void report(RunResult<?> result, SweepResult sweep) {
        write(RunReport.of(result).withSweep(sweep));
    }

    private void write(RunReport runReport) {
        if (report != null) {
            runReport.writeHtml(report);
            command.commandLine().getErr().println("report: " + report);
        }
    }

    /** Stops the metrics server, if one was started. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
