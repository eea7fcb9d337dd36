package io.github.pipeline.kafka;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The one thread that touches a {@link KafkaSource}'s consumer: it polls, hands the records to the reader
 * through a {@link RecordHandOff}, pauses every assigned partition while the hand-off holds its bound of
 * records and resumes them once it has drained to half, takes part in rebalances, and commits the offsets a
 * checkpoint asks for. Other threads talk to it only through {@link #commit} and {@link #close}, which wake
 * it with {@link Consumer#wakeup()}, the consumer's one thread-safe method.
 */
final class PollLoop implements Runnable, ConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(PollLoop.class.getName());
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final long LAG_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Consumer<?, ?> consumer;
    private final List<String> topics;
    private final String description;
    private final RecordHandOff handOff;
    private final int maxBuffered;
    private final Duration commitTimeout;
    private final KafkaSourceStats stats;
    private final AtomicReference<CompletableFuture<Map<String, String>>> commitRequest = new AtomicReference<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean closing;
    private volatile boolean assigned;
    private volatile Throwable failure;

    // the poll thread only
    /** A commit refused because the group was rebalancing: tried again after the next poll. */
    private CompletableFuture<Map<String, String>> retry;
    private long retryDeadline;
    private boolean paused;
    private long lastLag;

    PollLoop(Consumer<?, ?> consumer, List<String> topics, String description, RecordHandOff handOff,
             int maxBuffered, Duration commitTimeout, KafkaSourceStats stats) {
        this.consumer = consumer;
        this.topics = topics;
        this.description = description;
        this.handOff = handOff;
        this.maxBuffered = maxBuffered;
        this.commitTimeout = commitTimeout;
        this.stats = stats;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(topics, this);
            while (!closing) {
                CompletableFuture<Map<String, String>> request = retry != null ? retry : commitRequest.getAndSet(null);
                retry = null;
                if (request != null) {
                    commit(request);
                }
                pauseOrResume();
                poll();
                noteLag();
            }
        } catch (Throwable e) {
            failure = e;
            LOG.log(Level.WARNING, description + ": the poll thread failed", e);
        } finally {
            handOff.close();
            for (CompletableFuture<Map<String, String>> request : Arrays.asList(retry,
                    commitRequest.getAndSet(null))) {
                if (request != null) {
                    request.completeExceptionally(stoppedError());
                }
            }
            try {
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, description + ": closing the consumer failed", e);
            }
            stopped.complete(null);
        }
    }

    private void poll() {
        ConsumerRecords<?, ?> records;
        try {
            records = consumer.poll(POLL_TIMEOUT);
        } catch (WakeupException e) {
            return; // a commit, a close, or the reader that has drained the hand-off wants the thread
        } catch (RecordDeserializationException e) {
            throw new KafkaException(description + ": cannot deserialize the record at " + e.topicPartition() + "@"
                    + e.offset() + ": " + e.getMessage(), e);
        }
        stats.fetched(records.count());
        handOff.offer(records);
    }

    /** Pauses all owned partitions when the hand-off is full, resumes them when it has drained to half. */
    private void pauseOrResume() {
        int buffered = handOff.size();
        if (!paused && buffered >= maxBuffered) {
            paused = true;
            consumer.pause(consumer.assignment());
            stats.paused(consumer.assignment().size());
            handOff.onceDrainedTo(maxBuffered / 2, consumer::wakeup);
        } else if (paused && buffered <= maxBuffered / 2) {
            paused = false;
            consumer.resume(consumer.paused());
            stats.resumed();
        } else if (paused && consumer.paused().size() < consumer.assignment().size()) {
            consumer.pause(consumer.assignment()); // partitions assigned while paused
            stats.paused(consumer.assignment().size());
        }
    }

    private void noteLag() {
        long now = System.nanoTime();
        if (now - lastLag < LAG_EVERY_NANOS) {
            return;
        }
        lastLag = now;
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(partition);
            if (lag.isPresent()) {
                stats.lag(partition.toString(), lag.getAsLong());
            }
        }
    }

    /** Commits, per owned partition, the offset after the last record the reader returned. Poll thread. */
    private void commit(CompletableFuture<Map<String, String>> request) {
        Map<TopicPartition, OffsetAndMetadata> offsets = handOff.returnedOffsets();
        offsets.keySet().retainAll(consumer.assignment()); // never commit for a partition revoked meanwhile
        if (offsets.isEmpty()) {
            retryDeadline = 0;
            request.complete(Map.of());
            return;
        }
        while (true) {
            try {
                consumer.commitSync(offsets, commitTimeout);
                retryDeadline = 0;
                stats.committed();
                request.complete(describe(offsets));
                return;
            } catch (WakeupException e) {
                if (closing) {
                    request.completeExceptionally(stoppedError());
                    return;
                }
                // the wakeup of this very request, come late: commit again
            } catch (RebalanceInProgressException e) {
                // the next poll completes the rebalance (revoked partitions are forgotten): commit then
                long now = System.nanoTime();
                if (retryDeadline == 0) {
                    retryDeadline = now + commitTimeout.toNanos();
                }
                if (now - retryDeadline < 0) {
                    retry = request;
                    return;
                }
                retryDeadline = 0;
                stats.commitSkipped();
                LOG.warning(description + ": the group kept rebalancing for " + commitTimeout + ", the commit of "
                        + offsets.size() + " partitions was given up (" + e.getMessage() + "); their records since"
                        + " the last commit will be delivered again");
                request.complete(Map.of());
                return;
            } catch (CommitFailedException e) {
                stats.commitSkipped();
                retryDeadline = 0;
                LOG.warning(description + ": the group has moved on without this consumer, the commit of "
                        + offsets.size() + " partitions was refused (" + e.getMessage() + "); their records since"
                        + " the last commit will be delivered again");
                request.complete(Map.of());
                return;
            } catch (KafkaException e) {
                request.completeExceptionally(new KafkaException(description + ": committing offsets "
                        + describe(offsets) + " failed: " + e, e));
                return;
            }
        }
    }

    private static Map<String, String> describe(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<String, String> described = new LinkedHashMap<>();
        offsets.forEach((partition, offset) -> described.put(partition.toString(), Long.toString(offset.offset())));
        return described;
    }

    /**
     * Has the poll thread commit what the reader has returned, and waits for it. Reader thread.
     *
     * @return the committed offsets, keyed {@code topic-partition}
     */
    Map<String, String> commit() throws Exception {
        throwIfFailed();
        CompletableFuture<Map<String, String>> request = new CompletableFuture<>();
        commitRequest.set(request);
        consumer.wakeup();
        long bound = commitTimeout.multipliedBy(2).plus(CLOSE_TIMEOUT).toMillis(); // retries, then one commit
        try {
            return request.get(bound, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            commitRequest.compareAndSet(request, null);
            throw new KafkaException(description + ": the poll thread did not commit within " + bound + " ms");
        }
    }

    /** Whether the consumer has had partitions assigned to it (a cooperative rebalance may give none at first). */
    boolean joined() {
        return assigned;
    }

    /** Throws what stopped the poll thread, if it failed. */
    void throwIfFailed() {
        Throwable cause = failure;
        if (cause != null) {
            throw new KafkaException(description + ": the consumer failed: " + cause.getMessage(), cause);
        }
    }

    private KafkaException stoppedError() {
        Throwable cause = failure;
        return cause != null ? new KafkaException(description + ": the consumer failed: " + cause.getMessage(), cause)
                : new KafkaException(description + ": the consumer was closed");
    }

    /** Stops the poll thread and waits, within a bound, until it has closed the consumer. Any thread. */
    void close() {
        closing = true;
        consumer.wakeup();
        handOff.close();
        try {
            stopped.get(CLOSE_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warning(description + ": the poll thread did not stop within " + CLOSE_TIMEOUT.multipliedBy(2));
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        int dropped = handOff.revoke(partitions);
        stats.dropped(dropped);
        partitions.forEach(partition -> stats.forgetLag(partition.toString()));
        LOG.info(description + ": partitions " + partitions + " revoked; " + dropped
                + " fetched records not yet read were dropped, their new owner reads them");
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        stats.rebalanced();
        if (!partitions.isEmpty()) {
            assigned = true;
            LOG.info(description + ": partitions " + partitions + " assigned; reading from their committed offsets");
        }
    }
}
