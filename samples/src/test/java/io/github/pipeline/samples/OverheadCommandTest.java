package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OverheadCommandTest {

    @Test
    void printsAMedianForEachStageAndEngine() {
        Cli cli = Cli.run("overhead", "--cheap-items", "2000", "--expensive-items", "20", "--repetitions", "1",
                "--parallelism", "2");

        assertThat(cli.status()).isZero();
        assertThat(cli.outLines()).filteredOn(line -> line.matches("(cheap|expensive)\\s+\\S+(\\s+\\S+){5}"))
                .hasSize(6);
        assertThat(cli.out()).contains("bare", "metrics+profiling", "median of 1 runs");
    }

    @Test
    void badValuesAreUsageErrors() {
        Cli cli = Cli.run("overhead", "--repetitions", "0");

        assertThat(cli.status()).isEqualTo(SamplesCommand.USAGE_ERROR);
        assertThat(cli.err()).contains("must be at least 1");
    }
}
