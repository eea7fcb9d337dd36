package io.github.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Checkpoints;
import io.github.pipeline.api.Pair;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.StageOptions;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A topic through a pipeline with unordered parallel rails to another topic, on a real broker. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaEndToEndTest {

    private static final int RECORDS = 200_000;

    @Test
    void everyRecordOfFourPartitionsReachesTheOutputTopicAndEveryOffsetIsCommitted(KafkaBroker broker)
            throws Exception {
        broker.createTopic("e2e-in", 4);
        broker.createTopic("e2e-out", 4);
        Topics.produce(broker, "e2e-in", RECORDS);
        KafkaSource<String, String> source = KafkaSource.strings(broker.bootstrapServers(), "e2e", List.of("e2e-in"))
                .withMaxRecords(RECORDS)
                .withIdleTimeout(Duration.ofSeconds(30)); // only if something is wrong: the test then fails
        Pipeline<Long> job = Pipeline.named("e2e").from(source)
                .map("upper", r -> Pair.of(r.key(), r.value().toUpperCase()), StageOptions.parallel(2))
                .filter("all", p -> !p.second().isEmpty(), StageOptions.parallel(2))
                .to(KafkaSink.strings(broker.bootstrapServers(), "e2e-out", Pair<String, String>::first,
                        Pair<String, String>::second))
                .withCheckpoints(Checkpoints.withoutFile().every(Duration.ofSeconds(1)).everyItems(20_000));

        RunResult<Long> result = job.run();

        assertThat(result.value()).isEqualTo(RECORDS);
        BitSet seen = new BitSet(RECORDS);
        long read = Topics.readAll(broker, "e2e-out", record -> seen.set(Integer.parseInt(record.key())));
        assertThat(read).isEqualTo(RECORDS);
        assertThat(seen.cardinality()).as("distinct keys in the output").isEqualTo(RECORDS);
        assertThat(Topics.committed(broker, "e2e")).as("the group committed every offset at the end")
                .isEqualTo(Topics.endOffsets(broker, "e2e-in"));
        assertThat(source.stats().commits()).as(source.stats().toString()).isGreaterThanOrEqualTo(10);
        assertThat(source.stats().returned()).isEqualTo(RECORDS);
    }
}
