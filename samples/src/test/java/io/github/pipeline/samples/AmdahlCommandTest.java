package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AmdahlCommandTest {

    @Test
    void printsPredictedAgainstMeasuredSpeedupsWithPBelowOne(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("amdahl.html");
        Cli cli = Cli.run("amdahl", "--items", "300", "--max-parallelism", "2", "--repetitions", "1",
                "--report", report.toString());

        assertThat(cli.status()).isZero();
        assertThat(cli.out()).contains("speedup sweep of 'amdahl'", "measured", "Amdahl", "streaming", "Karp-Flatt");
        Matcher p = Pattern.compile("P = (\\d\\.\\d+)").matcher(cli.out());
        assertThat(p.find()).isTrue();
        assertThat(Double.parseDouble(p.group(1))).isGreaterThan(0).isLessThan(1);
        assertThat(cli.outLines()).anyMatch(line -> line.trim().startsWith("2 "));
        assertThat(cli.err()).contains("profile of 'amdahl'", "prepare", "compute");
        assertThat(Files.readString(report)).contains("id=\"sweep\"", "class=\"measured\"");
    }

    @Test
    void badValuesAreUsageErrors() {
        Cli cli = Cli.run("amdahl", "--max-parallelism", "0");

        assertThat(cli.status()).isEqualTo(SamplesCommand.USAGE_ERROR);
        assertThat(cli.err()).contains("--max-parallelism must be at least 1, got 0");
    }
}
