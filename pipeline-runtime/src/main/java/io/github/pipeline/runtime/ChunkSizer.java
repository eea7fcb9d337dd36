package io.github.pipeline.runtime;

import io.github.pipeline.api.Chunking;

/**
 * Decides how many items go in the next chunk of a rail segment. A fixed chunking always answers its
 * size; automatic chunking keeps a moving average of the measured time per item (each rail reports
 * every chunk it processes) and answers the number of items that take about the target time, between 1
 * and the maximum. Rails report concurrently; a lost update only delays the adaptation by a chunk.
 */
final class ChunkSizer {

    /** Weight of the newest measurement in the moving average. */
    private static final double ALPHA = 0.25;
    /** The first chunks of an automatic segment, before anything is measured: small, to measure soon. */
    private static final int FIRST_SIZE = 16;

    private final boolean automatic;
    private final int maxSize;
    private final double targetNanos;
    private final long maxLatencyNanos;
    /** Nanoseconds per item, averaged; negative until the first measurement. */
    private volatile double nanosPerItem = -1;
    private volatile int size;

    ChunkSizer(Chunking chunking) {
        this.automatic = chunking.mode() == Chunking.Mode.AUTO;
        this.maxSize = chunking.maxSize();
        this.targetNanos = chunking.target().toNanos();
        this.maxLatencyNanos = chunking.maxLatency().toNanos();
        this.size = automatic ? Math.min(FIRST_SIZE, maxSize) : maxSize;
    }

    /** The number of items the next chunk should hold. */
    int size() {
        return size;
    }

    /** The longest the first item of a chunk waits for the chunk to fill. */
    long maxLatencyNanos() {
        return maxLatencyNanos;
    }

    /** The largest chunk this sizer ever asks for. */
    int maxSize() {
        return maxSize;
    }

    /** Records that a rail took {@code nanos} to run the segment's functions on {@code items} items. */
    void record(int items, long nanos) {
        if (!automatic || items == 0) {
            return;
        }
        double perItem = Math.max(1.0, (double) nanos / items);
        double average = nanosPerItem;
        average = average < 0 ? perItem : average + ALPHA * (perItem - average);
        nanosPerItem = average;
        size = (int) Math.max(1, Math.min(maxSize, Math.round(targetNanos / average)));
    }
}
