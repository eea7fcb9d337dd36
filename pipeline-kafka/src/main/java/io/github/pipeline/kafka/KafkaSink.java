package io.github.pipeline.kafka;

import io.github.pipeline.api.CheckpointableWriter;
import io.github.pipeline.api.ResumableSink;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes each item as one record to a Kafka topic, its key and value made from the item by two
 * functions. Immutable: refine it with the {@code withX} methods, each of which returns a copy.
 *
 * <p>The producer is idempotent ({@code enable.idempotence=true}) and waits for all in-sync replicas
 * ({@code acks=all}) unless a property says otherwise. Sends are asynchronous; a send that fails fails
 * the run, naming the topic and partition, at the next item, checkpoint or end of the run. At each
 * checkpoint the writer flushes the producer and checks that every record sent was acknowledged, so a
 * {@link KafkaSource}'s offsets are committed only for records whose outputs are in Kafka. The run's value
 * is the number of records written. A failed or cancelled run closes the producer at once: records it had
 * not sent are lost, and records sent since the last checkpoint are in the topic already (at-least-once:
 * the next run writes them again).
 *
 * <p>A dead-letter topic is one more sink: {@code ErrorPolicy.deadLetter(KafkaSink.strings(servers,
 * "dead-letters", l -> l.stage(), l -> l.item() + ": " + l.error()))}.
 *
 * @param <T> the type of the items
 * @param <K> the type of the records' keys
 * @param <V> the type of the records' values
 */
public final class KafkaSink<T, K, V> implements ResumableSink<T, Long> {

    private final String bootstrapServers;
    private final String topic;
    private final Supplier<? extends Serializer<K>> keySerializer;
    private final Supplier<? extends Serializer<V>> valueSerializer;
    private final Function<? super T, ? extends K> key;
    private final Function<? super T, ? extends V> value;
    private final Map<String, String> properties;

    private KafkaSink(String bootstrapServers, String topic, Supplier<? extends Serializer<K>> keySerializer,
                      Supplier<? extends Serializer<V>> valueSerializer, Function<? super T, ? extends K> key,
                      Function<? super T, ? extends V> value, Map<String, String> properties) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.keySerializer = keySerializer;
        this.valueSerializer = valueSerializer;
        this.key = key;
        this.value = value;
        this.properties = properties;
    }

    /**
     * A sink that writes to {@code topic}.
     *
     * @param bootstrapServers the brokers to connect to first, {@code host:port,...}
     * @param topic            the topic
     * @param keySerializer    makes the key serializer of each run's producer
     * @param valueSerializer  makes the value serializer of each run's producer
     * @param key              the record's key for an item; may return {@code null} (no key)
     * @param value            the record's value for an item
     * @param <T>              the type of the items
     * @param <K>              the type of the keys
     * @param <V>              the type of the values
     * @return the sink
     * @throws IllegalArgumentException if a name is blank
     */
    public static <T, K, V> KafkaSink<T, K, V> of(String bootstrapServers, String topic,
                                                  Supplier<? extends Serializer<K>> keySerializer,
                                                  Supplier<? extends Serializer<V>> valueSerializer,
                                                  Function<? super T, ? extends K> key,
                                                  Function<? super T, ? extends V> value) {
        return new KafkaSink<>(notBlank("bootstrapServers", bootstrapServers), notBlank("topic", topic),
                Objects.requireNonNull(keySerializer, "keySerializer"),
                Objects.requireNonNull(valueSerializer, "valueSerializer"), Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(value, "value"), Map.of());
    }

    /**
     * A sink that writes records whose keys and values are UTF-8 strings.
     *
     * @param bootstrapServers the brokers to connect to first
     * @param topic            the topic
     * @param key              the record's key for an item, or {@code null}
     * @param value            the record's value for an item
     * @param <T>              the type of the items
     * @return the sink
     */
    public static <T> KafkaSink<T, String, String> strings(String bootstrapServers, String topic,
                                                           Function<? super T, String> key,
                                                           Function<? super T, String> value) {
        return of(bootstrapServers, topic, StringSerializer::new, StringSerializer::new, key, value);
    }

    /**
     * Returns a copy that passes a property to the producer, as named in Kafka's {@code ProducerConfig}
     * ({@code linger.ms}, {@code compression.type}, {@code acks}...).
     *
     * @param name  the property's name
     * @param value its value
     * @return the copy
     * @throws IllegalArgumentException if the name is blank or names a setting {@link #of} takes (servers,
     *                                  serializers)
     */
    public KafkaSink<T, K, V> withProperty(String name, String value) {
        notBlank("property name", name);
        Objects.requireNonNull(value, "value");
        if (Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG).contains(name)) {
            throw new IllegalArgumentException(name + " is set by KafkaSink.of, not as a property (got '" + value
                    + "')");
        }
        Map<String, String> copy = new HashMap<>(properties);
        copy.put(name, value);
        return new KafkaSink<>(bootstrapServers, topic, keySerializer, valueSerializer, key, this.value,
                Map.copyOf(copy));
    }

    /**
     * Returns the topic written.
     *
     * @return the topic
     */
    public String topic() {
        return topic;
    }

    /**
     * Starts a producer for one run.
     *
     * @return the writer
     */
    @Override
    public CheckpointableWriter<T, Long> open() {
        Properties config = new Properties();
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.putAll(properties);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaWriter<>(new KafkaProducer<>(config, keySerializer.get(), valueSerializer.get()), topic, key,
                value);
    }

    /**
     * Starts a producer as {@link #open()} does: what the last checkpoint flushed is in the topic already.
     *
     * @param checkpoint the state a writer returned, not used
     * @return the writer
     */
    @Override
    public CheckpointableWriter<T, Long> resume(Map<String, String> checkpoint) {
        return open();
    }

    @Override
    public String description() {
        return "Kafka topic '" + topic + "' of " + bootstrapServers;
    }

    private static String notBlank(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, got '" + value + "'");
        }
        return value;
    }
}
