package io.github.pipeline.kafka;

import io.github.pipeline.api.CheckpointableReader;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a {@link KafkaSource} for one run: takes records from the hand-off its {@link PollLoop} fills, and
 * at each checkpoint has the poll thread commit, per partition, the offset after the last record it
 * returned. Ends the run (returns {@code null}) after the source's maximum number of records, after its
 * idle timeout without a record, or once closed; an endless source without either runs until cancelled.
 *
 * @param <K> the type of the keys
 * @param <V> the type of the values
 */
final class KafkaReader<K, V> implements CheckpointableReader<KafkaRecord<K, V>> {

    /** How long one wait for a record lasts before the reader looks at the poll thread's health again. */
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** The idle timeout is at least this long until the consumer has joined its group. */
    private static final long JOIN_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final PollLoop loop;
    private final RecordHandOff handOff;
    private final KafkaSourceStats stats;
    private final long maxRecords;
    private final Duration idleTimeout;
    private long returned;

    KafkaReader(PollLoop loop, RecordHandOff handOff, KafkaSourceStats stats, long maxRecords, Duration idleTimeout) {
        this.loop = loop;
        this.handOff = handOff;
        this.stats = stats;
        this.maxRecords = maxRecords;
        this.idleTimeout = idleTimeout;
    }

    @Override
    @SuppressWarnings("unchecked") // the consumer was made with this source's deserializers
    public KafkaRecord<K, V> next() throws Exception {
        if (maxRecords > 0 && returned >= maxRecords) {
            return null;
        }
        long start = System.nanoTime();
        while (true) {
            loop.throwIfFailed();
            long wait = WAIT_SLICE_NANOS;
            if (idleTimeout != null) {
                // joining the group (a rebalance with the other workers) is not idling
                long limit = loop.joined() ? idleTimeout.toNanos() : Math.max(idleTimeout.toNanos(), JOIN_NANOS);
                long left = limit - (System.nanoTime() - start);
                if (left <= 0) {
                    return null;
                }
                wait = Math.min(wait, left);
            }
            ConsumerRecord<K, V> record = (ConsumerRecord<K, V>) handOff.take(wait);
            if (record != null) {
                returned++;
                stats.returnedOne();
                return new KafkaRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                        record.key(), record.value());
            }
            if (handOff.closed()) {
                loop.throwIfFailed();
                return null; // the source was closed (the run was cancelled)
            }
        }
    }

    @Override
    public Map<String, String> checkpoint() throws Exception {
        return loop.commit();
    }

    @Override
    public void close() {
        loop.close();
    }
}
