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
 * up to {@value #MAX_INTERVAL}, and up to {@value #LONG_RUN_MAX_INTERVAL} once the stage has
 * {@value #SAMPLES_BEFORE_LONG_RUN} samples. A stage whose calls take a millisecond of CPU is measured on
 * every call; one whose calls wait a millisecond (a blocking call) on every call until it has made
 * {@value #MIN_SAMPLES} calls per step of the interval, then as its CPU time allows (see
 * {@link #adapt}); one whose calls take ten nanoseconds on one call in a thousand, then, after about
 * 260,000 calls, in sixteen thousand, where the caps bind: a sample of 0.5 to 5 us spread over 1,024
 * calls adds 0.5 to 5 ns to each, so very cheap functions pay more than 1% on short runs (measured: see
 * docs/observability.md). Each measured call counts
 * {@code k} times in the totals (the Horvitz-Thompson estimator): the totals are unbiased estimates
 * whatever {@code k} was when each call was measured, and they only grow.
 *
 * <p>Unbiased for the calls as measured, that is: a measured call's window holds the call and some 40 ns
 * of clock reads, and an interruption of the thread (a timer tick, a page fault, a preemption) falls in
 * that window as often as its length makes it, so for calls of a few nanoseconds it counts ten times
 * too often, and with a weight of thousands. Measured on this project's 2-core machine over a source of
 * longs, a cube and a sink adding them: half of the raw windows took 30 ns, one in a hundred over
 * 300 ns, the largest 13 us, and the estimates came to 70 to 1,300 ns a call for calls of a few
 * nanoseconds (a sink's writes totalled three times the run's length). So where the calls are made in
 * runs that their loop times whole (a chunk's calls of a stage, a source's reads into a chunk, a sink's
 * writes of one: see {@link Countdown#ran(long)}), the wall estimate is capped by the runs' time, which
 * holds the calls and a little of the loop (and, where several stages share a chunk loop, the other
 * stages' calls too: each is capped by the loop's whole time); the CPU estimate is capped by the wall
 * estimate.
 */
final class StageProbe {

    /** The largest sampling interval until the stage has {@link #SAMPLES_BEFORE_LONG_RUN} samples. */
    static final int MAX_INTERVAL = 1024;

    /**
     * The largest sampling interval once the stage's estimates rest on {@link #SAMPLES_BEFORE_LONG_RUN}
     * samples: one call in this many is measured, at least. A run of ten million calls of a function of a
     * nanosecond then takes about 850 samples instead of 10,000 (each ~4 us of system calls here); a
     * mean over 256 samples is within about 6% of the stage's true mean (2 standard errors) for calls
     * whose cost varies as much as it averages.
     */
    static final int LONG_RUN_MAX_INTERVAL = 16_384;

    /** The samples a stage has before its interval may grow past {@link #MAX_INTERVAL}. */
    static final int SAMPLES_BEFORE_LONG_RUN = 256;

    /**
     * The share of a stage's measured work that reading the clocks may cost, by the calibrated cost of a
     * sample. A sample really costs about twice that (the probe's own bookkeeping), hence half of 1%.
     */
    private static final double MAX_OVERHEAD = 0.005;

    /**
     * The calls measured per step of the interval before the CPU rule may lengthen it: a stage's
     * estimates rest on at least about this many samples (2,000 calls: one in 16 at most).
     */
    static final int MIN_SAMPLES = 64;

    private final boolean enabled;
    private volatile int interval = 1;
    private final LongAdder samples = new LongAdder();
    private final LongAdder weight = new LongAdder();
    private final LongAdder wall = new LongAdder();
    private final LongAdder cpu = new LongAdder();
    private final LongAdder allocated = new LongAdder();
    /** The wall time of the runs of calls reported by {@link Countdown#ran(long)}: a bound on {@link #wall}. */
    private final LongAdder runs = new LongAdder();
    /**
     * Whether the calls are made in runs reported by {@link Countdown#ran(long)}: set once, by the first
     * {@link #countdown()}, so before any call is measured through one (set by the first report instead,
     * the estimate read until then, other rails' chunks under way included, could be more than it read
     * after, and meters must never go down).
     */
    private volatile boolean inRuns;

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

    /**
     * A countdown to this probe's next measured call, for calls that one thread makes in a row (a
     * source's reads, a sink's writes, the calls of one chunk), whose owner reports each run of them
     * ({@link Countdown#ran(long)}): from the first countdown on, this probe's wall estimate is capped by
     * the runs reported, so every call it measures must be made through a countdown, in a run that is
     * reported (none through {@link #start()}). See {@link Countdown}.
     */
    Countdown countdown() {
        if (enabled && !inRuns) {
            inRuns = true;
        }
        return new Countdown(this);
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
        record(sample.weight, wallEnd - sample.wall - overhead.wallNanos(), cpuEnd - sample.cpu - overhead.cpuNanos(),
                allocatedEnd - sample.allocated - overhead.allocated());
        adapt(overhead.sampleNanos());
    }

    /** Adds a measured call that counts {@code k} times: its clock readings less the clocks' own cost. */
    void record(int k, long wallNanos, long cpuNanos, long allocatedBytes) {
        samples.increment();
        weight.add(k);
        wall.add((long) k * Math.max(0, wallNanos));
        cpu.add((long) k * Math.max(0, cpuNanos));
        allocated.add((long) k * Math.max(0, allocatedBytes));
    }

    /** Adds the wall time of a run of calls made in a row (see {@link Countdown#ran(long)}). */
    private void ran(long nanos) {
        runs.add(Math.max(0, nanos));
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

    /**
     * Sets the interval so that measuring costs at most {@link #MAX_OVERHEAD} of the work measured: of
     * the calls' wall time, and, once {@link #MIN_SAMPLES} calls per interval step have been made, of
     * their CPU time. The second matters for calls that mostly wait: a 10 ms blocking call measured on
     * every call costs 3 us of CPU each time, and at 256 such calls at once on 2 cores that was a sixth of
     * the run (2,000 calls: 120 ms profiled against 100 ms not); the CPU rule measures one in 16 there.
     */
    private void adapt(long sampleNanos) {
        long calls = Math.max(1, weight.sum());
        int cap = samples.sum() < SAMPLES_BEFORE_LONG_RUN ? MAX_INTERVAL : LONG_RUN_MAX_INTERVAL;
        int byWall = intervalFor(sampleNanos, (double) wall.sum() / calls, cap);
        int byCpu = ThreadClocks.CPU ? intervalFor(sampleNanos, (double) cpu.sum() / calls, cap) : byWall;
        int enoughSamples = Integer.highestOneBit((int) Math.min(cap, Math.max(1, calls / MIN_SAMPLES)));
        int k = Math.max(byWall, Math.min(byCpu, enoughSamples));
        if (k != interval) {
            interval = k;
        }
    }

    /**
     * The interval at which a sample costing {@code sampleNanos} is {@link #MAX_OVERHEAD} of calls of this
     * mean cost, at most {@code cap}.
     */
    private static int intervalFor(long sampleNanos, double meanNanos, int cap) {
        double wanted = sampleNanos / (MAX_OVERHEAD * Math.max(1.0, meanNanos));
        return wanted <= 1 ? 1 : Math.min(cap, Integer.highestOneBit((int) Math.min(wanted, cap)) << 1);
    }

    /** Whether the calls are made in runs (chunks), whose time caps the estimates: see {@link #countdown()}. */
    boolean inChunks() {
        return inRuns;
    }

    /** The calls measured. */
    long samples() {
        return samples.sum();
    }

    /**
     * The estimated wall time of all calls: at most the time of the runs that held them, when they are made
     * in runs. Both only grow, and so does this; while a run is under way its calls' samples count and
     * its time does not yet, so a live reading may lag by the runs under way.
     */
    long wallNanos() {
        long estimate = wall.sum();
        return inRuns ? Math.min(estimate, runs.sum()) : estimate;
    }

    /**
     * The estimated CPU time of all calls, at most their wall time (a call runs on one thread, whatever the
     * clocks' jitter says), or -1 if the JVM does not measure it.
     */
    long cpuNanos() {
        return ThreadClocks.CPU ? Math.min(cpu.sum(), wallNanos()) : -1;
    }

    /** The estimated bytes allocated by all calls, or -1 if the JVM does not count them. */
    long allocatedBytes() {
        return ThreadClocks.ALLOCATION ? allocated.sum() : -1;
    }

    /** The current sampling interval: one call in this many is measured. */
    int interval() {
        return interval;
    }

    /**
     * Picks the measured calls of a run of calls made by one thread: after each measured call it draws
     * how many calls to pass over before the next (a geometric gap of mean {@code k}, {@code k} being the
     * probe's interval), so each call is measured independently with chance {@code 1/k}, as by
     * {@link StageProbe#start()}, for a decrement per call instead of a random number and a volatile read
     * (on a function of a nanosecond, those were most of what profiling cost a call). Random gaps, not
     * every {@code k}-th call: a cost that repeats every 64 calls (a writer flushing its buffer) would
     * otherwise be measured always or never, and a review saw the sink's estimate at 0.05 to 0.4 of its
     * flushes' time. A measured call weighs the interval its gap was drawn with. Not thread-safe: one
     * countdown per thread, or per chunk.
     */
    static final class Countdown {

        private final StageProbe probe;
        private int left;
        /** The interval the current gap was drawn with: the weight of the call it ends on. */
        private int weight;

        private Countdown(StageProbe probe) {
            this.probe = probe;
            if (probe.enabled) {
                draw();
            } else {
                left = Integer.MAX_VALUE;
            }
        }

        /**
         * Reports that a run of this countdown's calls (a chunk's, a fill's, a sink's chunk of writes) took
         * {@code nanos}, timed around the whole loop that made them: a clock read or two per run instead of
         * per call. The probe never estimates its calls at more than the runs reported took (see
         * {@link StageProbe#countdown()}). Report a run before anything that may end the pipeline's run,
         * so that its profile holds it.
         */
        void ran(long nanos) {
            if (probe.enabled) {
                probe.ran(nanos);
            }
        }

        /** Starts measuring this call, or returns {@code null} when it is not measured; end with {@link StageProbe#stop}. */
        Sample start() {
            return --left > 0 ? null : measure();
        }

        /** The gap has run out: measures this call, and draws the next gap. */
        private Sample measure() {
            if (!probe.enabled) {
                left = Integer.MAX_VALUE;
                return null;
            }
            int k = weight;
            draw();
            return new Sample(k);
        }

        private void draw() {
            int k = probe.interval;
            weight = k;
            left = gap(k);
        }

        /** Calls up to and including the next measured one, each measured with chance {@code 1/k}: at least 1. */
        static int gap(int k) {
            if (k <= 1) {
                return 1;
            }
            double u = 1.0 - ThreadLocalRandom.current().nextDouble(); // in (0, 1]
            double passed = Math.floor(Math.log(u) / Math.log1p(-1.0 / k));
            return (int) Math.min(Integer.MAX_VALUE - 1, 1 + passed);
        }
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
