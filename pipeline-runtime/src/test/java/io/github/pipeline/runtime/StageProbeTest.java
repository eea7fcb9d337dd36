package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The sampling probe: off costs nothing, cheap calls are sampled rarely, expensive ones always. */
class StageProbeTest {

    @Test
    void aDisabledProbeMeasuresNothing() {
        StageProbe probe = new StageProbe(false);
        assertThat(probe.start()).isNull();
        probe.stop(null);
        assertThat(probe.samples()).isZero();
        assertThat(probe.wallNanos()).isZero();
    }

    @Test
    void cheapCallsAreSampledRarelyAndStillEstimated() {
        StageProbe probe = new StageProbe(true);
        int calls = 200_000;
        for (int i = 0; i < calls; i++) {
            probe.stop(probe.start());
        }
        assertThat(probe.interval()).isGreaterThan(16);
        assertThat(probe.samples()).isPositive().isLessThan(calls / 8);
    }

    @Test
    void chunksCountdownsMeasureEachCallWithTheSameChanceAsTheProbesOwnDraw() {
        StageProbe probe = cheapProbeAtItsFirstCap();
        // a fresh countdown per chunk of 100 calls, as the rails use them: each call measured with chance
        // 1/k (k = 1,024 unless a slow sample on a busy machine lowers it) and counting k times, so the
        // weights add up to about the calls: 184,300, with a standard deviation of about 7.5% (~180 samples)
        long weights = 0;
        for (int chunk = 0; chunk < 1_843; chunk++) {
            StageProbe.Countdown countdown = probe.countdown();
            for (int i = 0; i < 100; i++) {
                StageProbe.Sample sample = countdown.start();
                weights += sample == null ? 0 : sample.weight;
                probe.stop(sample);
            }
        }
        assertThat(weights).isBetween(110_000L, 260_000L);
    }

    @Test
    void aLongRunningCountdownMeasuresOneCallInKAtRandomNotEveryKthCall() {
        StageProbe probe = cheapProbeAtItsFirstCap();
        // one countdown for a long run of calls, as a source or a sink uses it: about one call in k
        // (k = 1,024 unless a slow sample on a busy machine lowers it), each counting k times, so the
        // weights add up to about the calls (102,400; a standard deviation of about 10%), at random
        // places: a cost that repeats every 64 calls must not be always or never measured, so the
        // measured calls fall on many of the 64 places of the period (every 1,024th call would fall on one)
        StageProbe.Countdown countdown = probe.countdown();
        java.util.Set<Integer> places = new java.util.HashSet<>();
        long weights = 0;
        for (int i = 0; i < 102_400; i++) {
            StageProbe.Sample sample = countdown.start();
            if (sample != null) {
                weights += sample.weight;
                places.add(i % 64);
            }
            probe.stop(sample);
        }
        assertThat(weights).isBetween(61_440L, 143_360L);
        assertThat(places).hasSizeGreaterThan(20);
        StageProbe.Countdown off = new StageProbe(false).countdown();
        for (int i = 0; i < 10_000; i++) {
            assertThat(off.start()).isNull();
        }
    }

    @Test
    void countdownGapsAverageTheIntervalAndAreNeverEmpty() {
        assertThat(StageProbe.Countdown.gap(1)).isEqualTo(1);
        long sum = 0;
        int draws = 100_000;
        for (int i = 0; i < draws; i++) {
            int gap = StageProbe.Countdown.gap(64);
            assertThat(gap).isPositive();
            sum += gap;
        }
        // geometric with mean 64: the mean of 100,000 draws is within 1 of it (5 standard errors)
        assertThat((double) sum / draws).isCloseTo(64.0, within(1.0));
    }

    /** A probe whose calls, of nothing, have set its interval to the first cap (one call, unless a sample was slow). */
    private static StageProbe cheapProbeAtItsFirstCap() {
        StageProbe probe = new StageProbe(true);
        while (probe.interval() < StageProbe.MAX_INTERVAL && probe.samples() < 32) {
            probe.stop(probe.start());
        }
        assertThat(probe.interval()).isEqualTo(StageProbe.MAX_INTERVAL);
        return probe;
    }

    @Test
    void longRunsOfCheapCallsAreSampledLessOnceTheEstimatesRestOnEnoughSamples() {
        StageProbe probe = new StageProbe(true);
        StageProbe.Countdown countdown = probe.countdown();
        probe.stop(countdown.start());
        while (probe.samples() < StageProbe.SAMPLES_BEFORE_LONG_RUN) {
            assertThat(probe.interval()).isLessThanOrEqualTo(StageProbe.MAX_INTERVAL);
            probe.stop(countdown.start());
        }
        for (int i = 0; i < 2 * StageProbe.LONG_RUN_MAX_INTERVAL; i++) {
            probe.stop(countdown.start());
        }
        assertThat(probe.interval()).isGreaterThan(StageProbe.MAX_INTERVAL);
    }

    @Test
    void expensiveCallsAreEachMeasured() {
        StageProbe probe = new StageProbe(true);
        // 20 ms calls: measuring each costs under half a percent (the probe's bound) while a sample of the
        // clocks costs under 100 us, which it does even on a loaded machine (70 us seen with three builds)
        assertThat(ThreadClocks.OVERHEAD.sampleNanos()).isLessThan(100_000);
        for (int i = 0; i < 20; i++) {
            StageProbe.Sample sample = probe.start();
            assertThat(sample).isNotNull();
            long end = System.nanoTime() + 20_000_000;
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(end - System.nanoTime());
            }
            probe.stop(sample);
        }
        assertThat(probe.interval()).isEqualTo(1);
        assertThat(probe.samples()).isEqualTo(20);
        // parked, not computing: the wall time is 20 calls of at least 20 ms, the CPU time far less
        assertThat(probe.wallNanos()).isGreaterThanOrEqualTo(400_000_000L - 20 * ThreadClocks.OVERHEAD.wallNanos());
        if (ThreadClocks.CPU) {
            assertThat(probe.cpuNanos()).isLessThan(probe.wallNanos() / 2);
        }
    }

    @Test
    void callsThatMostlyWaitAreSampledLessOnceThereAreEnoughSamples() {
        StageProbe probe = new StageProbe(true);
        // calls that wait 1 ms and compute almost nothing: by wall time each would be measured (interval 1
        // or 2); the CPU rule lengthens the interval once there are MIN_SAMPLES calls per step of it
        int calls = 500;
        for (int i = 0; i < calls; i++) {
            StageProbe.Sample sample = probe.start();
            long end = System.nanoTime() + 1_000_000;
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(end - System.nanoTime());
            }
            probe.stop(sample);
        }
        if (ThreadClocks.CPU && ThreadClocks.OVERHEAD.sampleNanos() < 20_000) { // (a very loaded machine: the wall rule may allow more)
            // the call count it goes by is the estimate, which may run ahead of the calls by an interval
            // (by wall time alone it would stay at 1 or 2)
            assertThat(probe.interval()).isGreaterThan(2)
                    .isLessThanOrEqualTo(Integer.highestOneBit(2 * calls / StageProbe.MIN_SAMPLES));
            assertThat(probe.samples()).isLessThan(calls * 6 / 10);
        }
        // an estimate still: 500 calls of at least 1 ms
        assertThat(probe.wallNanos()).isGreaterThan(calls * 500_000L);
    }

    @Test
    void callsMadeInRunsAreNeverEstimatedAtMoreThanTheRunsTook() {
        StageProbe probe = new StageProbe(true);
        StageProbe.Countdown countdown = probe.countdown();
        // a cheap call's window caught an interruption: 13 us, counting 1,024 times (13.3 ms), in a run of
        // 1,024 calls that took 5 us all told; until the run is reported, the estimate reads nothing of it
        probe.record(1_024, 13_000, 13_000, 0);
        assertThat(probe.wallNanos()).isZero();
        countdown.ran(5_000);
        assertThat(probe.wallNanos()).isEqualTo(5_000);
        assertThat(probe.cpuNanos()).isLessThanOrEqualTo(probe.wallNanos());
        // the runs go on: the estimate is the smaller of the two, and like both it only grows
        probe.record(1_024, 30, 30, 0);
        countdown.ran(20_000_000);
        assertThat(probe.wallNanos()).isEqualTo(13_000L * 1_024 + 30L * 1_024);
        long before = probe.wallNanos();
        countdown.ran(1);
        assertThat(probe.wallNanos()).isEqualTo(before);
    }

    @Test
    void callsNotMadeInRunsKeepTheirEstimateAndItsCpuTimeStaysWithinItsWallTime() {
        StageProbe probe = new StageProbe(true);
        probe.record(16, 2_000, 2_500, 64); // the CPU clock's jitter read more than the wall clock
        assertThat(probe.wallNanos()).isEqualTo(32_000);
        if (ThreadClocks.CPU) {
            assertThat(probe.cpuNanos()).isEqualTo(32_000);
        }
        assertThat(probe.allocatedBytes()).isIn(-1L, 1_024L);
    }

    @Test
    void aReaderNeverSeesTheEstimatesGoDownWhileRunsAreReported() throws Exception {
        // meters read the estimates at any time and must never go down: one thread measures calls in
        // runs and reports them, another reads, for fresh probes, until either has done enough
        AtomicReference<StageProbe> current = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong drops = new AtomicLong();
        Thread reader = new Thread(() -> {
            StageProbe seen = null;
            long lastWall = 0;
            long lastCpu = 0;
            while (!stop.get()) {
                StageProbe probe = current.get();
                if (probe != seen) {
                    seen = probe;
                    lastWall = 0;
                    lastCpu = 0;
                }
                if (probe != null) {
                    long wall = probe.wallNanos();
                    long cpu = probe.cpuNanos();
                    if (wall < lastWall || cpu < lastCpu) {
                        drops.incrementAndGet();
                    }
                    lastWall = wall;
                    lastCpu = cpu;
                }
            }
        });
        reader.start();
        try {
            long deadline = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < deadline && drops.get() == 0) {
                StageProbe probe = new StageProbe(true);
                current.set(probe);
                StageProbe.Countdown first = probe.countdown();
                StageProbe.Countdown second = probe.countdown(); // another rail's chunk, under way
                for (int run = 0; run < 50; run++) {
                    probe.record(1, 3_000, 2_000, 0);
                    probe.record(1_024, 13_000, 13_000, 0);
                    first.ran(4_000);
                }
                second.ran(1_000);
            }
        } finally {
            stop.set(true);
            reader.join();
        }
        assertThat(drops.get()).isZero();
    }

    @Test
    void aDisabledProbeIgnoresRuns() {
        StageProbe probe = new StageProbe(false);
        probe.countdown().ran(1_000);
        assertThat(probe.wallNanos()).isZero();
    }

    @Test
    void theDemandClockCountsOnlyTimeWithoutDemand() {
        DemandClock clock = new DemandClock();
        clock.onRequest(2);
        clock.onNext();
        assertThat(clock.blockedNanos()).isZero();
        clock.onNext(); // demand used up: blocked from here
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1_000_000) {
            Thread.onSpinWait();
        }
        clock.onRequest(1); // blocked no more
        long blocked = clock.blockedNanos();
        assertThat(blocked).isPositive();
        assertThat(clock.blockedNanos()).isEqualTo(blocked);
        clock.onNext();
        clock.finish();
        assertThat(clock.blockedNanos()).isGreaterThanOrEqualTo(blocked);
        long finished = clock.blockedNanos();
        assertThat(clock.blockedNanos()).isEqualTo(finished);
    }

    @Test
    void unboundedDemandIsNeverBlocked() {
        DemandClock clock = new DemandClock();
        clock.onRequest(Long.MAX_VALUE);
        for (int i = 0; i < 1000; i++) {
            clock.onNext();
        }
        clock.onRequest(5);
        assertThat(clock.blockedNanos()).isZero();
    }
}
