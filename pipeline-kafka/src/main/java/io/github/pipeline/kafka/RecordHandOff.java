package io.github.pipeline.kafka;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records the poll thread has fetched and the reader has not returned yet, and, per partition, the
 * offset after the last record the reader returned (what a checkpoint commits). One lock guards both, so a
 * revocation (poll thread) and a take (reader thread) never see each other half done: a record of a
 * revoked partition is either returned before the revocation, and re-delivered to the partition's new
 * owner, or dropped with it.
 */
final class RecordHandOff {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<ConsumerRecord<?, ?>> queue = new ArrayDeque<>();
    private final Map<TopicPartition, Long> returnedUpTo = new HashMap<>();
    private boolean closed;
    /** Called (on the reader's thread) when the queue has drained to {@link #lowWaterMark}, once per arming. */
    private Runnable lowWater;
    private int lowWaterMark;

    /** Adds the records of one poll. Poll thread. */
    void offer(ConsumerRecords<?, ?> records) {
        if (records.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (ConsumerRecord<?, ?> record : records) {
                queue.add(record);
            }
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next record, waiting at most {@code timeoutNanos}, and notes its partition's offset.
     *
     * @return the record, or {@code null} if none came in time or the hand-off was closed
     */
    ConsumerRecord<?, ?> take(long timeoutNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long left = timeoutNanos;
            while (queue.isEmpty() && !closed) {
                if (left <= 0) {
                    return null;
                }
                left = notEmpty.awaitNanos(left);
            }
            ConsumerRecord<?, ?> record = queue.poll();
            if (record != null) {
                returnedUpTo.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                if (lowWater != null && queue.size() <= lowWaterMark) {
                    Runnable wake = lowWater;
                    lowWater = null;
                    wake.run();
                }
            }
            return record;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets revoked partitions: drops their records not yet returned and their returned offsets.
     *
     * @return how many records were dropped
     */
    int revoke(Collection<TopicPartition> partitions) {
        lock.lock();
        try {
            int dropped = 0;
            for (Iterator<ConsumerRecord<?, ?>> it = queue.iterator(); it.hasNext(); ) {
                ConsumerRecord<?, ?> record = it.next();
                if (partitions.contains(new TopicPartition(record.topic(), record.partition()))) {
                    it.remove();
                    dropped++;
                }
            }
            partitions.forEach(returnedUpTo::remove);
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** The offsets to commit: per partition, the offset after the last record returned. */
    Map<TopicPartition, OffsetAndMetadata> returnedOffsets() {
        lock.lock();
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            returnedUpTo.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
            return offsets;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Has {@code wake} called once, by the reader, when at most {@code mark} records are left: the poll
     * thread, which paused its partitions, is then woken from its poll to resume them at once rather than
     * when the poll times out (which would starve a fast pipeline).
     */
    void onceDrainedTo(int mark, Runnable wake) {
        lock.lock();
        try {
            if (queue.size() <= mark) {
                wake.run();
            } else {
                lowWaterMark = mark;
                lowWater = wake;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records waiting to be returned. */
    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close()} was called. */
    boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes a waiting {@link #take}, which returns {@code null} from then on once the queue is empty. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
