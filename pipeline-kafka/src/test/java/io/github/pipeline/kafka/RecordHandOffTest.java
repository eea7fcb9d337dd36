package io.github.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The hand-off between the poll thread and the reader, without a broker. */
class RecordHandOffTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void theOffsetsToCommitAreThoseAfterTheLastRecordReturnedPerPartition() throws Exception {
        RecordHandOff handOff = new RecordHandOff();
        handOff.offer(records(Map.of(P0, List.of(10L, 11L))));
        handOff.offer(records(Map.of(P1, List.of(5L, 6L))));
        handOff.offer(records(Map.of(P0, List.of(12L))));

        for (int i = 0; i < 3; i++) {
            assertThat(handOff.take(0)).isNotNull();
        }

        assertThat(handOff.size()).isEqualTo(2);
        assertThat(handOff.returnedOffsets()).containsOnlyKeys(P0, P1);
        assertThat(handOff.returnedOffsets().get(P0).offset()).isEqualTo(12L);
        assertThat(handOff.returnedOffsets().get(P1).offset()).isEqualTo(6L);
    }

    @Test
    void aRevokedPartitionsUnreadRecordsAreDroppedAndItsOffsetsForgotten() throws Exception {
        RecordHandOff handOff = new RecordHandOff();
        handOff.offer(records(Map.of(P0, List.of(0L, 1L))));
        handOff.offer(records(Map.of(P1, List.of(7L, 8L, 9L))));
        assertThat(handOff.take(0).partition()).isEqualTo(0);
        assertThat(handOff.take(0).partition()).isEqualTo(0);
        assertThat(handOff.take(0).offset()).isEqualTo(7L);

        assertThat(handOff.revoke(List.of(P1))).as("records dropped").isEqualTo(2);

        assertThat(handOff.size()).isZero();
        assertThat(handOff.returnedOffsets()).containsOnlyKeys(P0);
        assertThat(handOff.returnedOffsets().get(P0).offset()).isEqualTo(2L);
    }

    @Test
    void aWaitingTakeEndsWhenTheTimeoutPassesOrTheHandOffIsClosed() throws Exception {
        RecordHandOff handOff = new RecordHandOff();
        assertThat(handOff.take(TimeUnit.MILLISECONDS.toNanos(5))).isNull();

        Thread closer = new Thread(handOff::close);
        closer.start();
        assertThat(handOff.take(TimeUnit.SECONDS.toNanos(30))).isNull();
        closer.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(handOff.closed()).isTrue();
    }

    private static ConsumerRecords<String, String> records(Map<TopicPartition, List<Long>> offsets) {
        Map<TopicPartition, List<ConsumerRecord<String, String>>> records = new java.util.HashMap<>();
        offsets.forEach((partition, list) -> records.put(partition, list.stream()
                .map(offset -> new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "k", "v"))
                .toList()));
        return new ConsumerRecords<>(records, Map.of());
    }
}
