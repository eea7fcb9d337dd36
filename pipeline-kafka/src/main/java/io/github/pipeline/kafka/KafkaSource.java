package io.github.pipeline.kafka;

import io.github.pipeline.api.CheckpointableReader;
import io.github.pipeline.api.ResumableSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads Kafka topics as a member of a consumer group, committing offsets only for records that have gone
 * all the way through the pipeline. Immutable: refine it with the {@code withX} methods, each of which
 * returns a copy.
 *
 * <p>Use it with file-less checkpoints, which drive the commits (the example is compiled in
 * {@code KafkaDocExamplesTest}):
 *
 * <pre>{@code
 * Pipeline<Long> worker = Pipeline.named("count-words")
 *         .from(KafkaSource.strings("broker:9092", "word-counters", List.of("lines")))
 *         .map("count", r -> Pair.of(r.key(), countWords(r.value())), StageOptions.parallel())
 *         .to(KafkaSink.strings("broker:9092", "line-counts", Pair::first, Pair::second))
 *         .withCheckpoints(Checkpoints.withoutFile().every(Duration.ofSeconds(5)).everyItems(10_000));
 * }</pre>
 *
 * <p><b>What it guarantees.</b> At each checkpoint the engine stops reading, waits until every record
 * this reader returned has been processed and its outputs accepted by the sink (or filtered, skipped or
 * dead-lettered), has the sink make its output durable (a {@link KafkaSink} flushes its producer and checks
 * every send), and only then asks the reader to commit: per partition, the offset after the last record
 * it returned. A record finished early on one rail is thus committed only with every record before it:
 * at-least-once, with unordered parallel rails. A last checkpoint is taken when the reader ends the run.
 * A worker that crashes, or loses a partition in a rebalance, has its records since the last commit
 * delivered again to the partition's next owner: at most the records read since the last checkpoint
 * ({@code everyItems}, or what {@code every} lets through) plus those in the engine's buffers.
 *
 * <p><b>Threads and backpressure.</b> The consumer is used only on a poll thread of the reader's own,
 * which hands records to the pipeline through a queue of at most {@link #withMaxBuffered(int)} records
 * (plus one poll, {@code max.poll.records}): when the queue is full it pauses every assigned partition, so
 * a slow pipeline slows the fetching, and resumes them once the queue has drained to half. The poll thread
 * goes on polling while paused, so the consumer stays in its group.
 *
 * <p><b>Rebalances.</b> The consumer uses the classic group protocol with the
 * {@code CooperativeStickyAssignor} unless {@code partition.assignment.strategy} says otherwise: when a
 * worker joins or leaves, only the partitions that move are revoked. On revocation the poll thread drops the fetched records of the revoked partitions
 * that the pipeline has not taken yet and forgets those partitions: it never commits offsets of a
 * partition it no longer owns. On assignment a partition is read from its committed offset (or
 * {@code auto.offset.reset}, {@code earliest} unless set). Records of a revoked partition already in the
 * pipeline are processed and written, and read again by the new owner: duplicates, within the bound above.
 *
 * <p><b>When a run ends.</b> A Kafka topic has no end: the run ends when {@link #withMaxRecords(long)}
 * records have been read, when no record has come for {@link #withIdleTimeout(Duration)}, or when it is
 * cancelled (a worker that runs until stopped). Closing the reader stops the poll thread and closes the
 * consumer without committing anything beyond the last checkpoint.
 *
 * @param <K> the type of the keys
 * @param <V> the type of the values
 */
public final class KafkaSource<K, V> implements ResumableSource<KafkaRecord<K, V>> {

    /** The records the hand-off holds unless {@link #withMaxBuffered(int)} says otherwise. */
    public static final int DEFAULT_MAX_BUFFERED = 2_000;
    /** How long a commit may take unless {@link #withCommitTimeout(Duration)} says otherwise. */
    public static final Duration DEFAULT_COMMIT_TIMEOUT = Duration.ofSeconds(30);

    /** Numbers the poll threads, so the logs of two readers of one group in one JVM tell them apart. */
    private static final AtomicInteger READERS = new AtomicInteger();

    private final String bootstrapServers;
    private final String groupId;
    private final List<String> topics;
    private final Supplier<? extends Deserializer<K>> keys;
    private final Supplier<? extends Deserializer<V>> values;
    private final Map<String, String> properties;
    private final int maxBuffered;
    private final long maxRecords;
    private final Duration idleTimeout;
    private final Duration commitTimeout;
    private final KafkaSourceStats stats = new KafkaSourceStats();

    private KafkaSource(String bootstrapServers, String groupId, List<String> topics,
                        Supplier<? extends Deserializer<K>> keys, Supplier<? extends Deserializer<V>> values,
                        Map<String, String> properties, int maxBuffered, long maxRecords, Duration idleTimeout,
                        Duration commitTimeout) {
        this.bootstrapServers = bootstrapServers;
        this.groupId = groupId;
        this.topics = topics;
        this.keys = keys;
        this.values = values;
        this.properties = properties;
        this.maxBuffered = maxBuffered;
        this.maxRecords = maxRecords;
        this.idleTimeout = idleTimeout;
        this.commitTimeout = commitTimeout;
    }

    /**
     * A source that reads {@code topics} as a member of the consumer group {@code groupId}.
     *
     * @param bootstrapServers the brokers to connect to first, {@code host:port,...}
     * @param groupId          the consumer group: every worker of one job uses the same
     * @param topics           the topics, at least one
     * @param keys             makes the key deserializer of each run's consumer
     * @param values           makes the value deserializer of each run's consumer
     * @param <K>              the type of the keys
     * @param <V>              the type of the values
     * @return the source
     * @throws IllegalArgumentException if a name is blank or there is no topic
     */
    public static <K, V> KafkaSource<K, V> of(String bootstrapServers, String groupId, List<String> topics,
                                              Supplier<? extends Deserializer<K>> keys,
                                              Supplier<? extends Deserializer<V>> values) {
        List<String> copy = List.copyOf(Objects.requireNonNull(topics, "topics"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a Kafka source needs at least one topic");
        }
        copy.forEach(topic -> notBlank("topic", topic));
        return new KafkaSource<>(notBlank("bootstrapServers", bootstrapServers), notBlank("groupId", groupId), copy,
                Objects.requireNonNull(keys, "keys"), Objects.requireNonNull(values, "values"), Map.of(),
                DEFAULT_MAX_BUFFERED, 0, null, DEFAULT_COMMIT_TIMEOUT);
    }

    /**
     * A source of records whose keys and values are UTF-8 strings.
     *
     * @param bootstrapServers the brokers to connect to first
     * @param groupId          the consumer group
     * @param topics           the topics, at least one
     * @return the source
     */
    public static KafkaSource<String, String> strings(String bootstrapServers, String groupId, List<String> topics) {
        return of(bootstrapServers, groupId, topics, StringDeserializer::new, StringDeserializer::new);
    }

    /**
     * Returns a copy that passes a property to the consumer, as named in Kafka's {@code ConsumerConfig}
     * ({@code max.poll.records}, {@code session.timeout.ms}, security settings...). Offsets are committed
     * at checkpoints only, so {@code enable.auto.commit} cannot be turned on.
     *
     * @param name  the property's name
     * @param value its value
     * @return the copy
     * @throws IllegalArgumentException if the name is blank, names a setting {@link #of} takes (servers,
     *                                  group, deserializers) or turns on auto commit
     */
    public KafkaSource<K, V> withProperty(String name, String value) {
        notBlank("property name", name);
        Objects.requireNonNull(value, "value");
        if (Set.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConsumerConfig.GROUP_ID_CONFIG,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)
                .contains(name)) {
            throw new IllegalArgumentException(name + " is set by KafkaSource.of, not as a property (got '" + value
                    + "')");
        }
        if (name.equals(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG) && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("enable.auto.commit cannot be " + value
                    + ": a Kafka source commits its offsets at the pipeline's checkpoints");
        }
        Map<String, String> copy = new HashMap<>(properties);
        copy.put(name, value);
        return new KafkaSource<>(bootstrapServers, groupId, topics, keys, values, Map.copyOf(copy), maxBuffered,
                maxRecords, idleTimeout, commitTimeout);
    }

    /**
     * Returns a copy whose hand-off between the poll thread and the pipeline holds at most {@code records}
     * records (plus one poll) before the poll thread pauses the partitions.
     *
     * @param records the bound, at least 1
     * @return the copy
     * @throws IllegalArgumentException if {@code records} is less than 1
     */
    public KafkaSource<K, V> withMaxBuffered(int records) {
        if (records < 1) {
            throw new IllegalArgumentException("maxBuffered must be at least 1, got " + records);
        }
        return new KafkaSource<>(bootstrapServers, groupId, topics, keys, values, properties, records, maxRecords,
                idleTimeout, commitTimeout);
    }

    /**
     * Returns a copy whose runs end after reading {@code records} records; 0 (the default) reads on.
     *
     * @param records the most records one run reads, or 0
     * @return the copy
     * @throws IllegalArgumentException if {@code records} is negative
     */
    public KafkaSource<K, V> withMaxRecords(long records) {
        if (records < 0) {
            throw new IllegalArgumentException("maxRecords must not be negative, got " + records);
        }
        return new KafkaSource<>(bootstrapServers, groupId, topics, keys, values, properties, maxBuffered, records,
                idleTimeout, commitTimeout);
    }

    /**
     * Returns a copy whose runs end when no record has come for {@code timeout} (counted from the last
     * record read, or from the start; until partitions have been assigned to the consumer the wait is at
     * least a minute, as joining can take a while when several workers start together). By default a run waits
     * for records until it is cancelled.
     *
     * @param timeout the longest wait for a record, at least 1 ms
     * @return the copy
     * @throws IllegalArgumentException if {@code timeout} is shorter than 1 ms
     */
    public KafkaSource<K, V> withIdleTimeout(Duration timeout) {
        return new KafkaSource<>(bootstrapServers, groupId, topics, keys, values, properties, maxBuffered, maxRecords,
                atLeastOneMilli("idle timeout", timeout), commitTimeout);
    }

    /**
     * Returns a copy whose offset commits may take at most {@code timeout}; a commit that takes longer
     * fails the run (its records are delivered again to the next run).
     *
     * @param timeout the longest commit, at least 1 ms
     * @return the copy
     * @throws IllegalArgumentException if {@code timeout} is shorter than 1 ms
     */
    public KafkaSource<K, V> withCommitTimeout(Duration timeout) {
        return new KafkaSource<>(bootstrapServers, groupId, topics, keys, values, properties, maxBuffered, maxRecords,
                idleTimeout, atLeastOneMilli("commit timeout", timeout));
    }

    /**
     * Returns the statistics of this source object's runs, live.
     *
     * @return the statistics
     */
    public KafkaSourceStats stats() {
        return stats;
    }

    /**
     * Returns the consumer group.
     *
     * @return the group id
     */
    public String groupId() {
        return groupId;
    }

    /**
     * Returns the topics read.
     *
     * @return the topics
     */
    public List<String> topics() {
        return topics;
    }

    /**
     * Joins the group and starts the poll thread. Nothing is read before the pipeline asks.
     *
     * @return the reader
     */
    @Override
    public CheckpointableReader<KafkaRecord<K, V>> open() {
        Properties config = new Properties();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // incremental rebalances: a worker that joins or dies moves only the partitions that must move, so
        // the others keep theirs and re-read nothing
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.putAll(properties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Consumer<K, V> consumer = new KafkaConsumer<>(config, keys.get(), values.get());
        RecordHandOff handOff = new RecordHandOff();
        String name = "kafka-poll-" + groupId + "-" + READERS.incrementAndGet();
        PollLoop loop = new PollLoop(consumer, topics, description() + " (" + name + ")", handOff, maxBuffered,
                commitTimeout, stats);
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
        return new KafkaReader<>(loop, handOff, stats, maxRecords, idleTimeout);
    }

    /**
     * Opens the source as {@link #open()} does: Kafka's committed offsets, not the checkpoint's copy of
     * them, say where the group stands.
     *
     * @param checkpoint the offsets a reader committed, not used
     * @return the reader
     */
    @Override
    public CheckpointableReader<KafkaRecord<K, V>> resume(Map<String, String> checkpoint) {
        return open();
    }

    @Override
    public String description() {
        return "Kafka topics " + topics + " as group '" + groupId + "' of " + bootstrapServers;
    }

    private static String notBlank(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, got '" + value + "'");
        }
        return value;
    }

    static Duration atLeastOneMilli(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(what + " must be at least 1 ms, got " + value);
        }
        return value;
    }
}
