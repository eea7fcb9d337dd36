package io.github.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Checkpoints;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.StageOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Order per key end to end: records of one key come out of the output topic in the order they went in,
 * though the stage between runs their keys in parallel with random call times.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaOrderPerKeyTest {

    private static final int RECORDS = 10_000;
    private static final int KEYS = 40;

    @Test
    void recordsOfOneKeyKeepTheirOrderThroughParallelRails(KafkaBroker broker) throws Exception {
        broker.createTopic("keyed-in", 4);
        broker.createTopic("keyed-out", 4);
        Topics.produce(broker, "keyed-in", RECORDS, 131_072,
                i -> new ProducerRecord<>("keyed-in", "k" + (i % KEYS), Integer.toString(i)));
        SplittableRandom random = new SplittableRandom(4);
        long[] pauses = random.longs(RECORDS, 0, 200_000).toArray();
        KafkaSource<String, String> source = KafkaSource.strings(broker.bootstrapServers(), "keyed", List.of("keyed-in"))
                .withMaxRecords(RECORDS)
                .withIdleTimeout(Duration.ofSeconds(30)); // only if something is wrong: the test then fails
        Pipeline<Long> job = Pipeline.named("keyed").from(source)
                .map("random-time", (KafkaRecord<String, String> r) -> {
                    LockSupport.parkNanos(pauses[Integer.parseInt(r.value())]);
                    return r;
                }, StageOptions.blocking(4).<KafkaRecord<String, String>>withOrderPerKey(KafkaRecord::key))
                .to(KafkaSink.strings(broker.bootstrapServers(), "keyed-out", KafkaRecord<String, String>::key,
                        KafkaRecord<String, String>::value))
                .withCheckpoints(Checkpoints.withoutFile().everyItems(2_000));

        RunResult<Long> result = job.run();

        assertThat(result.value()).isEqualTo(RECORDS);
        Map<String, List<Integer>> values = new HashMap<>();
        long read = Topics.readAll(broker, "keyed-out",
                record -> values.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(Integer.parseInt(record.value())));
        assertThat(read).isEqualTo(RECORDS);
        assertThat(values).hasSize(KEYS);
        values.forEach((key, seq) -> assertThat(seq).as("values of %s in the output topic", key).isSorted()
                .hasSize(RECORDS / KEYS));
    }
}
