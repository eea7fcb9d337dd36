package io.github.pipeline.samples;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --count N} option of the samples that work on Python's {@code range(1, N + 1)}.
 */
public final class CountOption {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--count", paramLabel = "N",
            description = "How many numbers: the input is range(1, N + 1) (default: ${DEFAULT-VALUE}).")
    private long count = 1_000_000;

    /**
     * Returns the count asked for.
     *
     * @return the count, at least 0
     * @throws ParameterException if the value given is negative or too large
     */
    public long count() {
        if (count < 0) {
            throw new ParameterException(command.commandLine(), "--count must not be negative, got " + count);
        }
        if (count == Long.MAX_VALUE) {
            throw new ParameterException(command.commandLine(), "--count is too large, got " + count);
        }
        return count;
    }
}
