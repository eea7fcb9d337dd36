package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The kafka-worker and kafka-produce samples without a broker (the Kafka module's tests run one). */
class KafkaWorkerCommandTest {

    @Test
    void wordsAreCountedPerLineLowerCasedInAlphabeticalOrder() {
        assertThat(KafkaWorkerCommand.countWords("The cat saw the Dog, the end.")).isEqualTo(
                "cat=1 dog=1 end=1 saw=1 the=3");
        assertThat(KafkaWorkerCommand.countWords(" -- ")).isEmpty();
    }

    @Test
    void aCommitIntervalOfZeroIsAUsageErrorNamingTheValue() {
        Cli cli = Cli.run("kafka-worker", "--bootstrap-servers", "127.0.0.1:1", "--group", "g", "--input-topic",
                "in", "--output-topic", "out", "--commit-every", "0");

        assertThat(cli.status()).isEqualTo(SamplesCommand.USAGE_ERROR);
        assertThat(cli.err()).contains("--commit-every must be at least 0.001 s, got 0.0");
    }

    @Test
    void theProducerNeedsAnExistingFile() {
        Cli cli = Cli.run("kafka-produce", "--bootstrap-servers", "127.0.0.1:1", "--topic", "t", "--input",
                "no/such/file.txt");

        assertThat(cli.status()).isEqualTo(SamplesCommand.USAGE_ERROR);
        assertThat(cli.err()).contains("no/such/file.txt is not a file");
    }
}
