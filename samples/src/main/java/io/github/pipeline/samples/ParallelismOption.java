package io.github.pipeline.samples;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --parallelism N} option every sample takes: how many rails each parallel stage runs on.
 */
public final class ParallelismOption {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "Rails for each parallel stage, at least 1 (default: the available processors, "
                    + "${DEFAULT-VALUE} here).")
    private int parallelism = Runtime.getRuntime().availableProcessors();

    /**
     * Returns the parallelism asked for.
     *
     * @return the number of rails, at least 1
     * @throws ParameterException if the value given is less than 1
     */
    public int parallelism() {
        if (parallelism < 1) {
            throw new ParameterException(command.commandLine(),
                    "--parallelism must be at least 1, got " + parallelism);
        }
        return parallelism;
    }
}
