package io.github.pipeline.benchmarks;

import io.github.pipeline.api.StageOptions;

/**
 * The functions the benchmarks apply to each item, and the chunk size the hand-written variants use.
 * All are deterministic, so every variant of a benchmark must compute the same result (a test checks),
 * and every result is summed into the benchmark's return value, so the JIT cannot drop the work.
 */
final class Workloads {

    /** Items per chunk for the hand-written chunked variants (Reactor {@code buffer}, executor tasks). */
    static final int CHUNK = 1024;

    /** Rounds of {@link #heavy(long)}: about 5 us per item on the machine of docs/benchmarks.md. */
    static final int HEAVY_ROUNDS = 2500;

    private Workloads() {
    }

    /**
     * The cheap function of issue #6: a few nanoseconds, far less than handing an item to a thread.
     *
     * @param x the item
     * @return {@code x * x * x}, wrapping on overflow
     */
    static long cube(long x) {
        return x * x * x;
    }

    /**
     * The CPU-heavy function: {@value #HEAVY_ROUNDS} rounds of multiply, add and xor-shift, each round
     * depending on the one before, so the JIT can neither vectorise nor skip them.
     *
     * @param x the item
     * @return a hash of {@code x}
     */
    static long heavy(long x) {
        long h = x;
        for (int i = 0; i < HEAVY_ROUNDS; i++) {
            h = h * 0x9E3779B97F4A7C15L + i;
            h ^= h >>> 29;
        }
        return h;
    }

    /**
     * The blocking call: sleeps, as a remote call or a query would wait, then returns the item.
     *
     * @param x      the item
     * @param millis how long to sleep
     * @return {@code x}
     */
    static long sleepThenEcho(long x, long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sleeping on item " + x, e);
        }
        return x;
    }

    /**
     * The engine's options for the "explicit" variants: two rails and explicit chunks of {@link #CHUNK},
     * like the hand-written {@code reactorRailsChunked}, so the two measure the engine's own overhead.
     *
     * @return two CPU-bound rails with fixed chunks
     */
    static StageOptions explicitOptions() {
        return StageOptions.parallel(2).withChunkSize(CHUNK);
    }
}
