package io.github.pipeline.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes and reads test topics with plain clients, to check what the pipeline did. */
final class Topics {

    private Topics() {
    }

    /** Writes records {@code i -> value-i} for i in [0, count), spread over the partitions by key. */
    static void produce(KafkaBroker broker, String topic, int count) throws Exception {
        produce(broker, topic, count, 131_072);
    }

    /** As {@link #produce(KafkaBroker, String, int)}, in record batches of at most {@code batchBytes}. */
    static void produce(KafkaBroker broker, String topic, int count, int batchBytes) throws Exception {
        produce(broker, topic, count, batchBytes, i -> new ProducerRecord<>(topic, Integer.toString(i), "value-" + i));
    }

    /**
     * Writes the records {@code record.apply(i)} for i in [0, count), in batches of at most {@code batchBytes},
     * and checks that every one was acknowledged and that the topic then holds {@code count} records. One
     * request in flight, so a batch the broker refuses is retried before the next is sent (see
     * {@link KafkaBroker#createTopic}).
     */
    static void produce(KafkaBroker broker, String topic, int count, int batchBytes,
                        IntFunction<ProducerRecord<String, String>> record) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1",
                ProducerConfig.LINGER_MS_CONFIG, "10",
                ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(batchBytes)), new StringSerializer(),
                new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(record.apply(i)));
            }
            producer.flush();
            for (int i = 0; i < count; i++) {
                try {
                    sent.get(i).get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("producing record " + i + " to " + topic + " failed", e.getCause());
                }
            }
        }
        long written = sum(endOffsets(broker, topic));
        if (written != count) {
            throw new IllegalStateException(topic + " holds " + written + " records after producing " + count);
        }
    }

    /** Reads the whole topic, from the start up to its end offsets now, handing each record to {@code each}. */
    static long readAll(KafkaBroker broker, String topic, Consumer<ConsumerRecord<String, String>> each)
            throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(broker, topic);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000"), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(ends.keySet());
            consumer.seekToBeginning(ends.keySet());
            long read = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!reachedEnd(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " did not reach its end " + ends);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        each.accept(record);
                        read++;
                    }
                }
            }
            return read;
        }
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    /** The end offset of each partition of {@code topic}. */
    static Map<TopicPartition, Long> endOffsets(KafkaBroker broker, String topic) throws Exception {
        Set<TopicPartition> partitions = broker.admin().describeTopics(List.of(topic)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                broker.admin().listOffsets(request).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> ends = new HashMap<>();
        result.forEach((p, info) -> ends.put(p, info.offset()));
        return ends;
    }

    /** The offsets the group has committed, per partition (missing partitions have none). */
    static Map<TopicPartition, Long> committed(KafkaBroker broker, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = broker.admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((p, o) -> committed.put(p, o.offset()));
        return committed;
    }

    /** Sums the values. */
    static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The keys, as ints, of every record of the topic. */
    static List<Integer> keys(KafkaBroker broker, String topic) throws Exception {
        List<Integer> keys = new ArrayList<>();
        readAll(broker, topic, record -> keys.add(Integer.parseInt(record.key())));
        return keys;
    }
}
