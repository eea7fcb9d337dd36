package io.github.pipeline.kafka;

/**
 * One record read from a Kafka topic by a {@link KafkaSource}: where it came from and what it holds.
 *
 * @param topic     the topic
 * @param partition the partition
 * @param offset    the record's offset in its partition
 * @param timestamp the record's timestamp, in milliseconds since the epoch
 * @param key       the deserialized key, may be {@code null}
 * @param value     the deserialized value, may be {@code null}
 * @param <K>       the type of the keys
 * @param <V>       the type of the values
 */
public record KafkaRecord<K, V>(String topic, int partition, long offset, long timestamp, K key, V value) {

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset + " " + key + "=" + value;
    }
}
