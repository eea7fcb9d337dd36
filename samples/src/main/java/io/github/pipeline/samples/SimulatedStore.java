package io.github.pipeline.samples;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for a remote store (a database, an HTTP service): each {@link #write} blocks for a fixed
 * latency, as a network call would. Thread-safe: a blocking stage calls it from several threads at once.
 */
public final class SimulatedStore {

    private final Duration latency;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong items = new AtomicLong();

    /**
     * Creates a store.
     *
     * @param latency how long each write blocks
     */
    public SimulatedStore(Duration latency) {
        this.latency = Objects.requireNonNull(latency, "latency");
    }

    /**
     * Writes a batch: blocks for the store's latency, then returns the batch, stored.
     *
     * @param batch the items to store
     * @param <T>   the type of the items
     * @return {@code batch}
     * @throws IllegalStateException if the thread is interrupted while writing (the run was cancelled)
     */
    public <T> List<T> write(List<T> batch) {
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a batch", e);
        }
        batches.incrementAndGet();
        items.addAndGet(batch.size());
        return batch;
    }

    /**
     * Returns the number of batches written so far.
     *
     * @return the batch count
     */
    public long batches() {
        return batches.get();
    }

    /**
     * Returns the number of items written so far.
     *
     * @return the item count
     */
    public long items() {
        return items.get();
    }
}
