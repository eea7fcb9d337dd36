package io.github.pipeline.samples;

/**
 * Synthetic work for the samples that measure the engine: a CPU loop of known length that allocates
 * nothing and cannot be optimised away.
 */
public final class Work {

    /** Iterations of the loop in one unit of work: about 10 to 20 microseconds of CPU. */
    public static final int ITERATIONS_PER_UNIT = 20_000;

    private Work() {
    }

    /**
     * Spins the CPU for {@code units} units of work: a xorshift sequence, each step depending on the
     * last, so the loop cannot be vectorised or skipped.
     *
     * @param seed  where the sequence starts
     * @param units how much work, at least 0
     * @return the last value of the sequence
     */
    public static long spin(long seed, int units) {
        long x = seed | 1;
        for (int i = 0; i < units * ITERATIONS_PER_UNIT; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
