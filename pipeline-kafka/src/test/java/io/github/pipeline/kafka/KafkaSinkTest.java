package io.github.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineException;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Kafka sink on a real broker: what it writes, dead letters to a topic, failed sends. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaSinkTest {

    @Test
    void itemsThatFailAStageAreDeadLetteredToAKafkaTopicAndTheOthersWritten(KafkaBroker broker) throws Exception {
        broker.createTopic("numbers-out", 2);
        broker.createTopic("numbers-dead", 1);
        KafkaSink<DeadLetter, String, String> deadLetters = KafkaSink.strings(broker.bootstrapServers(),
                "numbers-dead", DeadLetter::stage, letter -> letter.item() + ": " + letter.error().getMessage());
        Pipeline<Long> job = Pipeline.named("numbers").from(Source.range(0, 1_000))
                .map("not-sevens", n -> {
                    if (n % 7 == 0) {
                        throw new IllegalArgumentException("a multiple of 7");
                    }
                    return n;
                }, StageOptions.parallel(2).withErrorPolicy(ErrorPolicy.deadLetter(deadLetters)))
                .to(KafkaSink.strings(broker.bootstrapServers(), "numbers-out", (Long n) -> Long.toString(n),
                        n -> "n=" + n));

        RunResult<Long> result = job.run();

        assertThat(result.value()).isEqualTo(1_000 - 143);
        assertThat(Topics.keys(broker, "numbers-out")).hasSize(1_000 - 143).doesNotHaveDuplicates()
                .allMatch(n -> n % 7 != 0);
        List<String> letters = new ArrayList<>();
        Topics.readAll(broker, "numbers-dead", record -> letters.add(record.key() + " " + record.value()));
        assertThat(letters).hasSize(143).contains("not-sevens 14: a multiple of 7");
    }

    @Test
    void aSendThatFailsFailsTheRunNamingTheTopic(KafkaBroker broker) {
        Pipeline<Long> job = Pipeline.named("nowhere").from(Source.range(0, 3))
                .to(KafkaSink.strings(broker.bootstrapServers(), "no-such-topic", (Long n) -> null,
                        n -> Long.toString(n)).withProperty("max.block.ms", "300"));

        assertThatThrownBy(job::run).isInstanceOf(PipelineException.class)
                .hasStackTraceContaining("sending a record to no-such-topic failed");
    }

    @Test
    void badSettingsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> KafkaSink.strings("127.0.0.1:1", " ", (String s) -> s, s -> s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic");
        KafkaSink<String, String, String> sink = KafkaSink.strings("127.0.0.1:1", "t", (String s) -> s, s -> s);
        assertThat(sink.withProperty("linger.ms", "20")).isNotSameAs(sink);
        assertThatThrownBy(() -> sink.withProperty("bootstrap.servers", "elsewhere:9092"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'elsewhere:9092'");
        assertThat(sink.description()).contains("'t'", "127.0.0.1:1");
    }
}
