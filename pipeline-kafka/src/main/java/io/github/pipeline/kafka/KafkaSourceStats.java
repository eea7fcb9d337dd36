package io.github.pipeline.kafka;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link KafkaSource}'s runs have done so far, live: records fetched, returned and dropped on
 * revocation, commits made and skipped, rebalances, paused partitions and the consumer lag per partition.
 * The counters add up over every run of one source object; the lag and the paused partitions are those of
 * the run going on (or the last one). Thread-safe: read it from any thread while the run goes on.
 */
public final class KafkaSourceStats {

    private final AtomicLong fetched = new AtomicLong();
    private final AtomicLong returned = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong commitsSkipped = new AtomicLong();
    private final AtomicLong rebalances = new AtomicLong();
    private final AtomicLong pauses = new AtomicLong();
    private final AtomicInteger pausedPartitions = new AtomicInteger();
    private final Map<String, Long> lag = new ConcurrentHashMap<>();

    KafkaSourceStats() {
    }

    /**
     * Returns the records the consumer has fetched from the brokers.
     *
     * @return the count
     */
    public long fetched() {
        return fetched.get();
    }

    /**
     * Returns the records the reader has handed to the pipeline.
     *
     * @return the count
     */
    public long returned() {
        return returned.get();
    }

    /**
     * Returns the records fetched but dropped unread because their partition was revoked (its new owner
     * reads them).
     *
     * @return the count
     */
    public long droppedOnRevocation() {
        return dropped.get();
    }

    /**
     * Returns the offset commits made (one per checkpoint that had something to commit).
     *
     * @return the count
     */
    public long commits() {
        return commits.get();
    }

    /**
     * Returns the commits given up: refused because this consumer had left the group, or because the group
     * kept rebalancing for the whole commit timeout (a commit refused while the group rebalances is tried
     * again after the next poll). The records they covered may be delivered again (at least once).
     *
     * @return the count
     */
    public long commitsSkipped() {
        return commitsSkipped.get();
    }

    /**
     * Returns the rebalances this consumer took part in (each assignment counts one).
     *
     * @return the count
     */
    public long rebalances() {
        return rebalances.get();
    }

    /**
     * Returns how often the poll thread paused its partitions because the pipeline did not keep up.
     *
     * @return the count
     */
    public long pauses() {
        return pauses.get();
    }

    /**
     * Returns the partitions paused right now.
     *
     * @return the count
     */
    public int pausedPartitions() {
        return pausedPartitions.get();
    }

    /**
     * Returns the consumer lag per partition (records in the partition after the consumer's position),
     * keyed {@code topic-partition}, as last seen by the poll thread; partitions the consumer no longer
     * owns are left out.
     *
     * @return a sorted copy
     */
    public Map<String, Long> lag() {
        return new TreeMap<>(lag);
    }

    /**
     * Returns the sum of {@link #lag()}.
     *
     * @return the records not yet fetched from the owned partitions
     */
    public long totalLag() {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    void fetched(int count) {
        fetched.addAndGet(count);
    }

    void returnedOne() {
        returned.incrementAndGet();
    }

    void dropped(int count) {
        dropped.addAndGet(count);
    }

    void committed() {
        commits.incrementAndGet();
    }

    void commitSkipped() {
        commitsSkipped.incrementAndGet();
    }

    void rebalanced() {
        rebalances.incrementAndGet();
    }

    void paused(int partitions) {
        pauses.incrementAndGet();
        pausedPartitions.set(partitions);
    }

    void resumed() {
        pausedPartitions.set(0);
    }

    void lag(String partition, long records) {
        lag.put(partition, records);
    }

    void forgetLag(String partition) {
        lag.remove(partition);
    }

    @Override
    public String toString() {
        return "fetched " + fetched() + ", returned " + returned() + ", dropped on revocation " + droppedOnRevocation()
                + ", commits " + commits() + " (" + commitsSkipped() + " skipped), rebalances " + rebalances()
                + ", pauses " + pauses() + ", paused partitions " + pausedPartitions() + ", lag " + totalLag();
    }
}
