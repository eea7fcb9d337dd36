package io.github.pipeline.samples;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --quiet} option every sample takes, and the progress it turns off: a sample passes each
 * pipeline it runs through {@link #watch}, which shows the run's {@link io.github.pipeline.api.Progress}
 * snapshots on stderr.
 *
 * <ul>
 *   <li>When stderr is a terminal: a live bar (the share read, the rate, the estimated time left) drawn
 *       by {@code me.tongfei:progressbar}, updated every {@value #BAR_INTERVAL_MILLIS} ms.</li>
 *   <li>Otherwise (a file, a pipe, a CI log): a plain line every {@value #LINE_INTERVAL_SECONDS} seconds,
 *       and a last one when the run ends.</li>
 * </ul>
 *
 * <p>Either way a run that ends before its first snapshot shows nothing, so short runs stay quiet.
 */
public final class ProgressOptions {

    /** How often the bar is updated when stderr is a terminal. */
    public static final long BAR_INTERVAL_MILLIS = 500;

    /** How often a progress line is printed when stderr is not a terminal. */
    public static final long LINE_INTERVAL_SECONDS = 10;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = {"-q", "--quiet"}, description = "Show no progress on stderr.")
    private boolean quiet;

    /**
     * Returns the pipeline with a progress listener that shows its runs on stderr, or the pipeline
     * itself if {@code --quiet} was given. Each call makes a new display, so call it for each pipeline.
     *
     * @param pipeline the pipeline to watch
     * @param <R>      the type of the pipeline's value
     * @return the pipeline, watched
     */
    public <R> Pipeline<R> watch(Pipeline<R> pipeline) {
        if (quiet) {
            return pipeline;
        }
        PrintWriter err = command.commandLine().getErr();
        if (err instanceof SamplesCommand.StandardError && stderrIsTerminal()) {
            err.flush();
            ProgressListener bar = new ProgressBarDisplay(System.err);
            return pipeline.withProgressListener(Duration.ofMillis(BAR_INTERVAL_MILLIS), bar);
        }
        return pipeline.withProgressListener(Duration.ofSeconds(LINE_INTERVAL_SECONDS), new ProgressLines(err));
    }

    /**
     * Whether {@code --quiet} was given.
     *
     * @return true if no progress is shown
     */
    public boolean isQuiet() {
        return quiet;
    }

    /**
     * Whether the process's stderr is a terminal. On Linux, file descriptor 2 is then a link to a
     * {@code /dev/pts/} or {@code /dev/tty} device; elsewhere, Java 17 can only say whether there is a
     * console (stdin and stdout both terminals), which is the best guess. {@code TERM=dumb} counts as
     * no terminal: it cannot redraw a line.
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.exists(fd, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
