package io.github.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Checkpoints;
import io.github.pipeline.api.Pair;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.StageOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of the README, docs/kafka.md and the Javadoc of {@link KafkaSource}, compiled. Builds only. */
class KafkaDocExamplesTest {

    @Test
    void theReadmeAndJavadocExampleBuildsAPipelineThatCheckpointsWithoutAFile() {
        Pipeline<Long> worker = Pipeline.named("count-words")
                .from(KafkaSource.strings("broker:9092", "word-counters", List.of("lines")))
                .map("count", r -> Pair.of(r.key(), countWords(r.value())), StageOptions.parallel())
                .to(KafkaSink.strings("broker:9092", "line-counts", Pair::first, Pair::second))
                .withCheckpoints(Checkpoints.withoutFile().every(Duration.ofSeconds(5)).everyItems(10_000));

        assertThat(worker.describe()).contains("count", "Kafka topics [lines] as group 'word-counters'",
                "Kafka topic 'line-counts'");
        assertThat(worker.checkpoints()).hasValueSatisfying(c -> assertThat(c.file()).isEmpty());
    }

    @Test
    void theDocsExampleKeepsTheRecordsKey() {
        KafkaSource<String, String> lines = KafkaSource.strings("broker:9092", "word-counters", List.of("lines"));
        Pipeline<Long> worker = Pipeline.named("count-words").from(lines)
                .map("count", r -> new KafkaRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(),
                        countWords(r.value())), StageOptions.parallel())
                .to(KafkaSink.strings("broker:9092", "line-counts", KafkaRecord::key, KafkaRecord::value))
                .withCheckpoints(Checkpoints.withoutFile().every(Duration.ofSeconds(5)).everyItems(10_000));

        assertThat(worker.describe()).contains("Kafka topic 'line-counts'");
    }

    private static String countWords(String line) {
        return Integer.toString(line.split("\\s+").length);
    }
}
