package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The {@code process} sample, with Python worker processes (skipped where python3 is not installed). */
class ProcessCommandTest {

    @Test
    void printsTheTimesPerItemAndTheCostOfCrossingTheBoundary() {
        needsPython();
        Cli cli = Cli.run("process", "--count", "2000", "--heavy-count", "50", "--heavy-steps", "100",
                "--repetitions", "1", "--parallelism", "2");

        assertThat(cli.status()).as(cli.err()).isZero();
        String cubes = BigInteger.valueOf(LongStream.rangeClosed(1, 2000).map(x -> x * x * x).sum()).toString();
        assertThat(cli.outLines()).hasSize(7);
        assertThat(cli.outLines().get(1)).startsWith("cube").contains("threads: 2 rails", "2000").endsWith(cubes);
        assertThat(cli.outLines().get(2)).startsWith("cube").contains("processes: 2 x python3").endsWith(cubes);
        assertThat(cli.outLines().get(5)).startsWith("crossing a process boundary: about ");
        assertThat(cli.outLines().get(6)).isEqualTo("the processes' results agree with the threads'");
    }

    @Test
    void pythonWorkersComputeWhatTheJavaStageComputes() {
        needsPython();
        Path script = ProcessCommand.extractScript();
        try {
            long steps = 300;
            long expected = LongStream.rangeClosed(1, 500).map(x -> ProcessCommand.HeavyFunction.apply(x, (int) steps)).sum();

            assertThat(ProcessCommand.heavyInProcesses(500, 300, 3, 2, "python3", script).run().verifyBalanced().value())
                    .isEqualTo(expected);
            assertThat(ProcessCommand.heavyOnThreads(500, 300, 2).run().value()).isEqualTo(expected);
        } finally {
            script.toFile().delete();
        }
        assertThat(Files.exists(script)).isFalse();
    }

    private static void needsPython() {
        Assumptions.assumeTrue(ProcessCommand.isProgram("python3"), "python3 is not installed");
    }

    @Test
    void aMissingInterpreterIsAUsageError() {
        Cli cli = Cli.run("process", "--python", "/nonexistent/python3", "--count", "10");

        assertThat(cli.status()).isEqualTo(2);
        assertThat(cli.err()).contains("cannot find the Python interpreter '/nonexistent/python3'");
    }
}
