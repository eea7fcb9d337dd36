package io.github.pipeline.samples;

import io.github.pipeline.api.PipelineException;
import io.github.pipeline.api.StageFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code pipeline-samples} command line: one subcommand per sample.
 *
 * <p>Conventions shared by every sample: results go to stdout, summaries and reports to stderr. The
 * exit status is 0 on success, 1 when a pipeline fails (the stage and the cause are printed on
 * stderr) and 2 on a usage error (a one-line reason is printed on stderr).
 *
 * <pre>{@code
 * java -jar samples/target/pipeline-samples.jar --help
 * java -jar samples/target/pipeline-samples.jar cube --count 1000000
 * }</pre>
 */
@Command(name = "pipeline-samples",
        mixinStandardHelpOptions = true,
        versionProvider = SamplesCommand.Version.class,
        synopsisSubcommandLabel = "SAMPLE",
        description = {
            "Runnable samples of the pipeline engine: the parallel map, starmap and map_async of "
                    + "Python's multiprocessing.Pool, and a demo of a whole pipeline.",
            "Results go to stdout; summaries go to stderr."},
        commandListHeading = "%nSamples:%n",
        subcommands = {CubeCommand.class, StarmapCommand.class, MapAsyncCommand.class, DemoCommand.class,
            IoFanoutCommand.class, AmdahlCommand.class, OverheadCommand.class, GenerateCommand.class,
            WordCountCommand.class, CsvAggregateCommand.class, ConvertCommand.class, ProcessCommand.class,
            KafkaProduceCommand.class, KafkaWorkerCommand.class},
        footerHeading = "%n",
        footer = "Run 'pipeline-samples SAMPLE --help' for the options of a sample.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success",
            "1:the pipeline failed (the stage and the cause are on stderr)",
            "2:usage error (the reason is on stderr)"})
public final class SamplesCommand implements Callable<Integer> {

    /** The exit status of a run whose pipeline failed. */
    public static final int PIPELINE_FAILED = 1;

    /** The exit status of a usage error: an unknown sample, option or value. */
    public static final int USAGE_ERROR = 2;

    @Spec
    private CommandSpec spec;

    /**
     * Runs the command line and exits the JVM with its status.
     *
     * @param args the arguments, for example {@code cube --count 1000}
     */
    public static void main(String... args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line on {@code System.out} and {@code System.err} and returns its exit status,
     * without exiting the JVM.
     *
     * @param args the arguments
     * @return 0 on success, 1 if a pipeline failed, 2 on a usage error
     */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new StandardError(), args);
    }

    /**
     * Runs the command line with the given output streams and returns its exit status, without exiting
     * the JVM.
     *
     * @param out  where results go
     * @param err  where summaries, reports and errors go
     * @param args the arguments
     * @return 0 on success, 1 if a pipeline failed, 2 on a usage error
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        try {
            return commandLine(out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Builds the command line, configured with the conventions of the samples (exit statuses, one-line
     * usage errors, pipeline failures reported by stage), writing to the given streams.
     *
     * @param out         where results go
     * @param err         where summaries, reports and errors go
     * @param moreSamples more subcommands to offer besides the built-in samples (picocli
     *                    {@code @Command} objects), which follow the same conventions
     * @return the configured command line, ready to {@link CommandLine#execute execute}
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Object... moreSamples) {
        CommandLine commandLine = new CommandLine(new SamplesCommand());
        for (Object sample : moreSamples) {
            commandLine.addSubcommand(sample);
        }
        // Set last, so that they reach every subcommand.
        return commandLine
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(SamplesCommand::usageError)
                .setExecutionExceptionHandler(SamplesCommand::pipelineFailure);
    }

    /**
     * Runs when no sample is given: a usage error.
     *
     * @return never returns normally
     * @throws ParameterException always
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no sample given; choose one of: " + sampleNames());
    }

    private String sampleNames() {
        return String.join(", ", spec.subcommands().keySet());
    }

    /** Prints one line (the reason and where to find help) and returns the usage status. */
    private static int usageError(ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        String reason = ex.getMessage();
        if (ex instanceof UnmatchedArgumentException unmatched && command.getParent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            reason = "unknown sample '" + unmatched.getUnmatched().get(0) + "'; the samples are: "
                    + String.join(", ", command.getSubcommands().keySet());
        }
        command.getErr().println(name + ": " + oneLine(reason) + " (see '" + name + " --help')");
        return USAGE_ERROR;
    }

    /** Reports a failed pipeline by its stage and cause; anything else is a bug and propagates. */
    private static int pipelineFailure(Exception ex, CommandLine command, CommandLine.ParseResult parsed)
            throws Exception {
        if (!(ex instanceof PipelineException failure)) {
            throw ex;
        }
        String name = command.getCommandSpec().qualifiedName();
        String report = failure.getMessage();
        if (!(failure instanceof StageFailedException) && failure.getCause() != null) {
            report += ": " + failure.getCause();
        }
        command.getErr().println(name + ": pipeline failed: " + oneLine(report));
        return PIPELINE_FAILED;
    }

    private static String oneLine(String text) {
        return String.valueOf(text).strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * The writer on the process's own stderr: where {@link ProgressOptions} may draw a live bar, when
     * stderr is a terminal. Any other writer (a test's, an embedding program's) gets plain progress lines.
     */
    static final class StandardError extends PrintWriter {
        StandardError() {
            super(System.err, true);
        }
    }

    /** Reads the version that the build writes into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = SamplesCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {
                "pipeline-samples " + properties.getProperty("version", "(development build)"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
