package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IoFanoutCommandTest {

    @Test
    void makesEveryCallAndReportsTheRatioToLittlesLaw() {
        Cli cli = Cli.run("io-fanout", "--count", "300", "--latency", "2", "--concurrency", "50");

        assertThat(cli.status()).isZero();
        Map<String, String> lines = cli.outLines().stream()
                .collect(Collectors.toMap(l -> l.substring(0, 14).strip(), l -> l.substring(14).strip()));
        assertThat(lines).containsEntry("calls", "300")
                .containsEntry("little's law", "25000 calls/s (concurrency / latency)")
                .containsKeys("elapsed", "throughput", "ratio");
        // nothing can beat Little's law: a ratio above 1 would mean the calls did not really wait
        assertThat(Double.parseDouble(lines.get("ratio"))).isPositive().isLessThanOrEqualTo(1.0);
        assertThat(cli.err()).contains("pipeline 'io-fanout' finished");
    }

    @Test
    void aConcurrencyBelowOneIsAUsageError() {
        Cli cli = Cli.run("io-fanout", "--concurrency", "0");

        assertThat(cli.status()).isEqualTo(SamplesCommand.USAGE_ERROR);
        assertThat(cli.errLines()).singleElement().asString().contains("must be at least 1");
    }
}
