package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Command;

class SamplesCommandTest {

    private static final String[] SAMPLES =
            {"cube", "starmap", "map-async", "demo", "io-fanout", "amdahl", "overhead", "generate", "kafka-produce",
                "kafka-worker"};

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpListsEverySampleAndExitsZero(String option) {
        Cli cli = Cli.run(option);

        assertThat(cli.status()).isZero();
        assertThat(cli.err()).isEmpty();
        assertThat(cli.out()).startsWith("Usage: pipeline-samples").contains("Samples:", "--version");
        for (String sample : SAMPLES) {
            assertThat(cli.outLines()).anySatisfy(line -> assertThat(line).startsWith("  " + sample + " "));
        }
    }

    @Test
    void versionNamesTheProjectVersion() {
        Cli cli = Cli.run("--version");

        assertThat(cli.status()).isZero();
        assertThat(cli.outLines().get(0)).startsWith("pipeline-samples ").doesNotContain("${");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cube", "starmap", "map-async", "demo"})
    void eachSampleHasHelpWithTheCommonParallelismOption(String sample) {
        Cli cli = Cli.run(sample, "--help");

        assertThat(cli.status()).isZero();
        assertThat(cli.out()).startsWith("Usage: pipeline-samples " + sample).contains("--parallelism=N");
    }

    @Test
    void anUnknownSampleIsAUsageError() {
        Cli cli = Cli.run("cubes");

        assertThat(cli.status()).isEqualTo(2);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.errLines()).singleElement().asString()
                .contains("unknown sample 'cubes'", "cube, starmap, map-async, demo, io-fanout, amdahl, overhead, generate");
    }

    @Test
    void noSampleIsAUsageError() {
        Cli cli = Cli.run();

        assertThat(cli.status()).isEqualTo(2);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.errLines()).singleElement().asString().contains("no sample given");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cube --count abc          | '--count': 'abc' is not a long",
        "cube --count -5           | --count must not be negative, got -5",
        "starmap --count -1        | --count must not be negative",
        "map-async --count 1e6     | '--count': '1e6' is not a long",
        "cube --parallelism 0      | --parallelism must be at least 1, got 0",
        "demo --parallelism -2     | --parallelism must be at least 1",
        "demo --records -1         | --records must not be negative, got -1",
        "cube --count              | Missing required parameter for option '--count'",
        "cube --bogus              | Unknown option: '--bogus'",
        "--bogus                   | Unknown option: '--bogus'",
        "cube 12                   | Unmatched argument"})
    void aBadOptionIsAUsageErrorWithAOneLineReason(String args, String reason) {
        Cli cli = Cli.run(args.split(" "));

        assertThat(cli.status()).isEqualTo(2);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.errLines()).singleElement().asString().startsWith("pipeline-samples").contains(reason);
    }

    /** A sample whose pipeline fails on its first item. */
    @Command(name = "divide")
    static final class Divide implements Callable<Integer> {
        @Override
        public Integer call() {
            Pipeline.named("divide")
                    .from(Source.range(0, 100))
                    .map("ten-by", x -> 10 / x)
                    .to(Sink.count())
                    .run();
            return 0;
        }
    }

    @Test
    void aFailedPipelineExitsOneNamingTheStageAndTheCause() {
        Cli cli = Cli.runWith(new Divide(), "divide");

        assertThat(cli.status()).isEqualTo(1);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.errLines()).singleElement().asString()
                .startsWith("pipeline-samples divide: pipeline failed:")
                .contains("'ten-by'", "ArithmeticException", "/ by zero");
    }
}
