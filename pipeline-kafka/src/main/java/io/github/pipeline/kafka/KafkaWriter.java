package io.github.pipeline.kafka;

import io.github.pipeline.api.CheckpointableWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Writes one run's items with one producer. Sends are asynchronous; the first send that fails is kept
 * and fails the run at the next call, naming the topic and partition.
 *
 * @param <T> the type of the items
 * @param <K> the type of the keys
 * @param <V> the type of the values
 */
final class KafkaWriter<T, K, V> implements CheckpointableWriter<T, Long> {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<K, V> producer;
    private final String topic;
    private final Function<? super T, ? extends K> key;
    private final Function<? super T, ? extends V> value;
    private final AtomicReference<KafkaException> failure = new AtomicReference<>();
    private long sent;

    KafkaWriter(Producer<K, V> producer, String topic, Function<? super T, ? extends K> key,
                Function<? super T, ? extends V> value) {
        this.producer = producer;
        this.topic = topic;
        this.key = key;
        this.value = value;
    }

    @Override
    public void accept(T item) {
        throwIfFailed();
        producer.send(new ProducerRecord<>(topic, key.apply(item), value.apply(item)), (metadata, error) -> {
            if (error != null) {
                String where = metadata != null && metadata.partition() >= 0
                        ? topic + "-" + metadata.partition() : topic;
                failure.compareAndSet(null, new KafkaException("sending a record to " + where + " failed: " + error,
                        error));
            }
        });
        sent++;
    }

    @Override
    public Map<String, String> checkpoint() {
        producer.flush();
        throwIfFailed();
        return Map.of("topic", topic, "sent", Long.toString(sent));
    }

    @Override
    public Long complete() {
        try {
            producer.flush();
            throwIfFailed();
        } finally {
            producer.close(CLOSE_TIMEOUT);
        }
        return sent;
    }

    @Override
    public void abort(Throwable cause) {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * What the last checkpoint flushed is in Kafka already: nothing is kept here, so a suspended run's
     * producer is closed as an aborted one's is.
     */
    @Override
    public void suspend(Throwable cause) {
        abort(cause);
    }

    private void throwIfFailed() {
        KafkaException error = failure.get();
        if (error != null) {
            throw error;
        }
    }
}
