package io.github.pipeline.samples;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs the command line in-process and captures what it prints.
 *
 * @param status the exit status
 * @param out    what went to stdout
 * @param err    what went to stderr
 */
record Cli(int status, String out, String err) {

    /** Runs {@code pipeline-samples args...}. */
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SamplesCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(status, out.toString(), err.toString());
    }

    /** Runs {@code args} on the samples' command line with one more subcommand. */
    static Cli runWith(Object extraSubcommand, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine =
                SamplesCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), extraSubcommand);
        int status = commandLine.execute(args);
        return new Cli(status, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}
