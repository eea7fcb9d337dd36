package io.github.pipeline.runtime;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures the calls of one stage's function (or the source's reads, or the sink's writes): wall time,
 * CPU time and bytes allocated, on a sample of the calls.
 *
 * <p>A call is measured with probability {@code 1/k}, chosen at random on the calling thread (no shared
 * counter, so rails do not contend). {@code k} is a power of two that adapts to the stage: reading the
 * clocks costs from a few hundred nanoseconds to several microseconds (the thread CPU clock is a system
 * call, slow in virtual machines), so {@code k} grows until that cost is about 1% of the work measured,
 * up to {@value #MAX_INTERVAL}. A stage whose calls take a millisecond is measured on every
 * call; one whose calls take ten nanoseconds on one call in a thousand, where the cap binds: a sample
 * of 0.5 to 5 us spread over 1,024 calls adds 0.5 to 5 ns to each, so very cheap functions pay more
 * than 1% (measured: about 5 ns a call, see docs/observability.md). Each measured call counts
 * {@code k} times in the totals (the Horvitz-Thompson estimator): the totals are unbiased estimates
 * whatever {@code k} was when each call was measured, and they only grow.
 */
final class StageProbe {

    /** The largest sampling interval: one call in this many is measured, at least. */
    static final int MAX_INTERVAL = 1024;

    /**
     * The share of a stage's measured work that reading the clocks may cost, by the calibrated cost of a
     * sample. A sample really costs about twice that (the probe's own bookkeeping), hence half of 1%.
     */
    private static final double MAX_OVERHEAD = 0.005;

    private final boolean enabled;
    private volatile int interval = 1;
    private final LongAdder samples = new LongAdder();
    private final LongAdder weight = new LongAdder();
    private final LongAdder wall = new LongAdder();
    private final LongAdder cpu = new LongAdder();
    private final LongAdder allocated = new LongAdder();

    StageProbe(boolean enabled) {
        this.enabled = enabled;
    }

    /** Starts measuring a call, or returns {@code null} when this call is not measured. */
    Sample start() {
        if (!enabled) {
            return null;
        }
        int k = interval;
        if (k > 1 && (ThreadLocalRandom.current().nextInt() & (k - 1)) != 0) {
            return null;
        }
        return new Sample(k);
    }

    /** Ends the measurement that {@link #start()} began; does nothing for {@code null}. */
    void stop(Sample sample) {
        if (sample == null) {
            return;
        }
        long wallEnd = System.nanoTime();
        long cpuEnd = ThreadClocks.cpuNanos();
        long allocatedEnd = ThreadClocks.allocatedBytes();
        ThreadClocks.Overhead overhead = ThreadClocks.OVERHEAD;
        long k = sample.weight;
        samples.increment();
        weight.add(k);
        wall.add(k * Math.max(0, wallEnd - sample.wall - overhead.wallNanos()));
        cpu.add(k * Math.max(0, cpuEnd - sample.cpu - overhead.cpuNanos()));
        allocated.add(k * Math.max(0, allocatedEnd - sample.allocated - overhead.allocated()));
        adapt(overhead.sampleNanos());
    }

    /**
     * Counts a call timed elsewhere, every call (a round trip to a worker process, whose CPU time is not
     * this JVM's and counts as waiting): its wall time, with no CPU time and no allocation.
     */
    void recordWall(long wallNanos) {
        if (!enabled) {
            return;
        }
        samples.increment();
        weight.increment();
        wall.add(Math.max(0, wallNanos));
    }

    /** Sets the interval so that measuring costs at most {@link #MAX_OVERHEAD} of the work measured. */
    private void adapt(long sampleNanos) {
        double meanWall = (double) wall.sum() / Math.max(1, weight.sum());
        double wanted = sampleNanos / (MAX_OVERHEAD * Math.max(1.0, meanWall));
        int k = wanted <= 1 ? 1 : Math.min(MAX_INTERVAL, Integer.highestOneBit((int) Math.min(wanted, MAX_INTERVAL)) << 1);
        if (k != interval) {
            interval = k;
        }
    }

    /** The calls measured. */
    long samples() {
        return samples.sum();
    }

    /** The estimated wall time of all calls. */
    long wallNanos() {
        return wall.sum();
    }

    /** The estimated CPU time of all calls, or -1 if the JVM does not measure it. */
    long cpuNanos() {
        return ThreadClocks.CPU ? cpu.sum() : -1;
    }

    /** The estimated bytes allocated by all calls, or -1 if the JVM does not count them. */
    long allocatedBytes() {
        return ThreadClocks.ALLOCATION ? allocated.sum() : -1;
    }

    /** The current sampling interval: one call in this many is measured. */
    int interval() {
        return interval;
    }

    /** The clocks read when a measured call started, and the weight of the call. */
    static final class Sample {
        final int weight;
        final long allocated;
        final long cpu;
        final long wall;

        Sample(int weight) {
            this.weight = weight;
            // read after this object was allocated, and in the reverse order of stop(): each clock's
            // interval holds as little of the other clocks' cost as possible
            this.allocated = ThreadClocks.allocatedBytes();
            this.cpu = ThreadClocks.cpuNanos();
            this.wall = System.nanoTime();
        }
    }
}
