package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunProfile;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.SpeedupSweep;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.StageProfile;
import io.github.pipeline.api.SweepPoint;
import io.github.pipeline.api.SweepResult;
import io.github.pipeline.api.Workload;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The profile of real runs: synthetic stages of known behaviour are classified as what they are, the
 * stage made slowest on purpose is the bottleneck, and a sweep over a pipeline with a sequential stage
 * finds P below 1. The differences are made large (20x and more) so that a busy machine cannot blur them.
 */
class RunProfilerTest {

    private final ReactorEngine engine = ReactorEngine.create();

    /** Pure arithmetic, no allocation: about {@code units} times 10 microseconds of CPU. */
    static long spin(long seed, int units) {
        long x = seed | 1;
        for (int i = 0; i < units * 20_000; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    /** Allocates 256 KiB per call and reads it, so the allocation cannot be optimised away. */
    static long allocate(long seed) {
        long sum = 0;
        for (int i = 0; i < 4; i++) {
            byte[] block = new byte[64 * 1024];
            block[(int) (seed % block.length)] = (byte) i;
            sum += block[(int) ((seed * 31) % block.length)] + block.length;
        }
        return sum;
    }

    static long sleep(long x, long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return x;
    }

    @Test
    void aPureCpuLoopIsCpuBound() {
        StageProfile cpu = Pipeline.named("cpu-loop")
                .from(Source.range(0, 200))
                .map("spin", x -> spin(x, 10))
                .to(Sink.count())
                .run(engine).profile().stage("spin");

        assertThat(cpu.workload()).as(cpu.toString()).isEqualTo(Workload.CPU_BOUND);
        assertThat(cpu.sampledCalls()).isPositive();
        assertThat(cpu.calls()).isEqualTo(200);
    }

    @Test
    void aSleepingBlockingStageIsWaiting() {
        StageProfile sleeper = Pipeline.named("sleeper")
                .from(Source.range(0, 40))
                .map("sleep", x -> sleep(x, 5), StageOptions.blocking(4))
                .to(Sink.count())
                .run(engine).profile().stage("sleep");

        assertThat(sleeper.workload()).as(sleeper.toString()).isEqualTo(Workload.WAITING);
        assertThat(sleeper.offCpuWaitNanos()).isGreaterThan(sleeper.cpuNanos());
        // it sets the pace of this run: more concurrent sleeps would make it faster
        assertThat(sleeper.bottleneck()).isTrue();
        assertThat(sleeper.suggestion()).contains("raise its concurrency above 4");
    }

    @Test
    void aSleepOnACpuBoundStageIsToldToMoveToABlockingStage() {
        StageProfile sleeper = Pipeline.named("misplaced")
                .from(Source.range(0, 20))
                .map("sleep", x -> sleep(x, 5))
                .to(Sink.count())
                .run(engine).profile().stage("sleep");

        assertThat(sleeper.workload()).isEqualTo(Workload.WAITING);
        assertThat(sleeper.suggestion()).contains("make it a blocking stage");
    }

    @Test
    void anAllocatingStageIsAllocationHeavy() {
        StageProfile allocating = Pipeline.named("allocating")
                .from(Source.range(1, 2001))
                .map("allocate", RunProfilerTest::allocate)
                .to(Sink.count())
                .run(engine).profile().stage("allocate");

        assertThat(allocating.workload()).as(allocating.toString()).isEqualTo(Workload.ALLOCATION_HEAVY);
        assertThat(allocating.allocatedBytes() / allocating.calls()).isGreaterThan(128 * 1024);
        assertThat(allocating.suggestion()).contains("per call");
    }

    @Test
    void theBottleneckIsTheStageMadeSlowestOnPurpose() {
        RunProfile profile = Pipeline.named("bottleneck")
                .from(Source.range(0, 300))
                .map("light", x -> spin(x, 1))
                .map("heavy", x -> spin(x, 100))
                .map("medium", x -> spin(x, 1), StageOptions.parallel(2))
                .to(Sink.count())
                .run(engine).profile();

        assertThat(profile.bottleneck()).map(StageProfile::name).hasValue("heavy");
        assertThat(profile.stage("heavy").wallNanos()).isGreaterThan(profile.stage("light").wallNanos());
        assertThat(profile.stage("heavy").suggestion()).contains("run it on rails");
        assertThat(profile.stages()).extracting(StageProfile::name)
                .containsExactly(StageProfile.SOURCE, "light", "heavy", "medium", StageProfile.SINK);
        assertThat(profile.stage("medium").parallel()).isTrue();
        assertThat(profile.stage("medium").slots()).isEqualTo(2);
        assertThat(profile.stage(StageProfile.SOURCE).calls()).isEqualTo(300);
        assertThat(profile.stage(StageProfile.SINK).calls()).isEqualTo(300);
        assertThat(profile.text()).contains("*heavy", "bottleneck: 'heavy'");
    }

    @Test
    void aSlowSinkHoldsTheSourceBackAndBecomesTheBottleneck() {
        RunProfile profile = Pipeline.named("slow-sink")
                .from(Source.range(0, 1500))
                .map("id", x -> x)
                .to(Sink.forEach(x -> sleep(x, 1)))
                .run(engine).profile();

        assertThat(profile.bottleneck()).map(StageProfile::name).hasValue(StageProfile.SINK);
        // the sink's buffer and the stage's hold far fewer than 1500 items: the source had to wait
        assertThat(profile.stage(StageProfile.SOURCE).blockedNanos()).isPositive();
        assertThat(profile.stage("id").blockedNanos()).isEqualTo(-1);
    }

    @Test
    void cheapCallsAreNeverEstimatedAtMoreTimeThanTheirSlotsHadInTheRun() {
        // calls of a few nanoseconds, a few hundred of them measured, each counting up to 16,384 times: an
        // interruption caught in one measured call's window once made a sink adding longs 1,006 ms of a
        // 293 ms run. Every part here makes its calls in runs timed whole (a chunk's calls, a chunk's
        // reads, a chunk's writes), which bound the estimates.
        RunProfile profile = Pipeline.named("cheap-calls")
                .from(Source.range(1, 3_000_001))
                .map("square", x -> x * x)
                .map("cube", x -> x * x * x, StageOptions.parallel(2))
                .to(Sink.reduce(0L, Long::sum))
                .run(engine).profile();

        assertThat(profile.stages()).hasSize(4).allSatisfy(part -> {
            assertThat(part.sampledCalls()).as(part.name()).isPositive();
            assertThat(part.wallNanos()).as(part.toString()).isLessThanOrEqualTo(part.slots() * profile.duration().toNanos());
            assertThat(part.cpuNanos()).as(part.toString()).isLessThanOrEqualTo(part.wallNanos());
        });
    }

    @Test
    void aBottleneckBusyLessThanHalfTheRunIsNotToldItSetsThePace() {
        // the cheap pipeline above, as measured once: the sink the busiest part at 39% of a 245 ms run
        Duration run = Duration.ofMillis(245);
        RunProfiler.Part sink = new RunProfiler.Part(StageProfile.SINK, "sink", 1, false, false, false, false, true,
                10_000_000, new StageProbe(true), -1, -1);
        RunProfiler.Part cube = new RunProfiler.Part("cube", "map", 2, true, true, true, false, true,
                10_000_000, new StageProbe(true), -1, -1);
        long sinkWall = 95_000_000;

        assertThat(RunProfiler.suggest(sink, Workload.CPU_BOUND, true, 0.39, sinkWall, sinkWall, 0, 0, run, 2))
                .startsWith("the busiest part, yet busy 39% of the run: the run's time went mostly between calls");
        assertThat(RunProfiler.suggest(sink, Workload.CPU_BOUND, true, 0.9, sinkWall, sinkWall, 0, 0, run, 2))
                .startsWith("the sink sets the pace (busy 90% of the run)");
        // a stage on rails that costs microseconds a call, busy a third of the run on each rail
        long cubeWall = 20_000_000_000L;
        assertThat(RunProfiler.suggest(cube, Workload.CPU_BOUND, true, 0.3, cubeWall, cubeWall, 0, 0, run, 2))
                .startsWith("the busiest part, yet busy 30% of the run");
        assertThat(RunProfiler.suggest(cube, Workload.CPU_BOUND, true, 0.95, cubeWall, cubeWall, 0, 0, run, 2))
                .contains("only more cores would help");
        // four CPU-bound rails on two cores, each busy 39% of the run: the two cores were busy 78% of it
        RunProfiler.Part fourRails = new RunProfiler.Part("compute", "map", 4, true, true, true, false, true,
                10_000, new StageProbe(true), -1, -1);
        long fourRailsWall = 1_451_000_000L;
        assertThat(RunProfiler.suggest(fourRails, Workload.CPU_BOUND, true, 0.39, fourRailsWall, fourRailsWall, 0, 0,
                Duration.ofMillis(930), 2))
                .isEqualTo("sets the pace, busy 39% of the run on each of its 4 rails: only more cores would help "
                        + "(see the speedup model)");
        // a cheap stage on rails, item by item, is told to chunk; in chunks, it has taken the advice
        StageProbe itemByItem = new StageProbe(true);
        RunProfiler.Part perItem = new RunProfiler.Part("cube", "map", 2, true, true, true, false, true,
                10_000_000, itemByItem, -1, -1);
        assertThat(RunProfiler.suggest(perItem, Workload.CPU_BOUND, false, 0.2, 120_000_000, 120_000_000, 0, 0, run, 2))
                .startsWith("cheap (12 ns per call): chunk it");
        StageProbe inChunks = new StageProbe(true);
        inChunks.countdown();
        RunProfiler.Part chunked = new RunProfiler.Part("cube", "map", 2, true, true, true, false, true,
                10_000_000, inChunks, -1, -1);
        assertThat(RunProfiler.suggest(chunked, Workload.CPU_BOUND, false, 0.2, 120_000_000, 120_000_000, 0, 0, run, 2))
                .isEqualTo("not the bottleneck (busy 20% of the run): leave it as it is");
        // a blocking stage busy a fifth of the run on each of its 8 slots: more of them would not help
        RunProfiler.Part store = new RunProfiler.Part("store", "map", 8, true, false, true, true, true,
                598, new StageProbe(true), -1, -1);
        long storeWall = 20_000_000_000L;
        assertThat(RunProfiler.suggest(store, Workload.WAITING, true, 0.2, storeWall, storeWall / 100, 0, 0, run, 2))
                .isEqualTo("waits 99% of its time in calls on 8 blocking slot(s), busy 20% of the run: enough concurrency");
        assertThat(RunProfiler.suggest(store, Workload.WAITING, true, 0.9, storeWall, storeWall / 100, 0, 0, run, 2))
                .isEqualTo("waits 99% of its time in calls and sets the pace: raise its concurrency above 8");
    }

    @Test
    void callsShorterThanAReadOfTheCpuClockCountAsOnCpuAndLongerOnesKeepTheirEstimate() {
        // a sink adding longs: 30 ns a write, and the CPU clock's jitter left nothing once its cost was taken off
        StageProbe writes = new StageProbe(true);
        writes.record(1, 30_000, 0, 0);
        RunProfiler.Part sink = new RunProfiler.Part(StageProfile.SINK, "sink", 1, false, false, false, false, true,
                1_000, writes, -1, -1);
        // a blocking call: 10 ms of waiting around 20 us of CPU
        StageProbe calls = new StageProbe(true);
        calls.record(1, 10_000_000, 20_000, 0);
        RunProfiler.Part store = new RunProfiler.Part("store", "map", 8, true, false, true, true, true, 1, calls,
                -1, -1);

        if (ThreadClocks.CPU) {
            assertThat(RunProfiler.cpuOf(sink, writes.wallNanos())).isEqualTo(30_000);
            assertThat(RunProfiler.classify(1, 30_000, RunProfiler.cpuOf(sink, 30_000), 0, 0, 1_000))
                    .isEqualTo(Workload.CPU_BOUND);
            assertThat(RunProfiler.cpuOf(store, calls.wallNanos())).isEqualTo(20_000);
        } else {
            assertThat(RunProfiler.cpuOf(sink, writes.wallNanos())).isEqualTo(-1);
        }
    }

    @Test
    void aRunWithoutProfilingHasAnEmptyProfileAndTheSameCounts() {
        RunResult<Long> result = Pipeline.named("unprofiled")
                .from(Source.range(0, 100))
                .map("id", x -> x)
                .to(Sink.count())
                .run(engine.withProfiling(false))
                .verifyBalanced();

        assertThat(result.profile().isEmpty()).isTrue();
        assertThat(result.value()).isEqualTo(100);
    }

    @Test
    void theProfileIsAvailableWhileTheRunGoesOn() throws Exception {
        CountDownLatch half = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Execution<Long> running = Pipeline.named("live")
                .from(Source.range(0, 100))
                .peek("gate", x -> {
                    if (x == 50) {
                        half.countDown();
                        EngineMetricsTest.awaitQuietly(release);
                    }
                })
                .to(Sink.count())
                .start(engine);
        assertThat(half.await(30, TimeUnit.SECONDS)).isTrue();

        RunProfile live = running.profile();
        // the stage runs over chunks of the range on the source's thread, and a chunk's calls count when
        // the chunk is done: the live profile holds the chunks before the one item 50 is stuck in (the
        // first chunk is 16 items), never the calls not yet made
        assertThat(live.stage("gate").calls()).isBetween(16L, 51L);
        assertThat(running.isDone()).isFalse();

        release.countDown();
        RunResult<Long> result = running.await();
        assertThat(result.profile().stage("gate").calls()).isEqualTo(100);
        assertThat(running.profile().stage("gate").calls()).isEqualTo(100);
    }

    @Test
    void aSweepOverAPipelineWithASequentialStageFindsPBelowOne() {
        SweepResult sweep = SpeedupSweep.of(n -> Pipeline.named("swept")
                        .from(Source.range(0, 200))
                        .map("serial", x -> spin(x, 2))
                        .map("parallel", x -> spin(x, 4), StageOptions.parallel(n))
                        .to(Sink.count()))
                .withParallelismUpTo(2)
                .withRepetitions(1)
                .withWarmups(0)
                .run(engine);

        double p = sweep.model().parallelFraction();
        assertThat(p).isGreaterThan(0).isLessThan(1);
        assertThat(sweep.model().largestSerialShare()).isPositive();
        assertThat(sweep.widest().stage("parallel").parallel()).isTrue();
        assertThat(sweep.baseline().stage("parallel").parallel()).isFalse();
        SweepPoint two = sweep.points().get(1);
        assertThat(two.parallelism()).isEqualTo(2);
        assertThat(two.amdahl()).isEqualTo(1 / (p / 2 + (1 - p)));
        assertThat(two.karpFlatt()).isFinite();
        assertThat(sweep.text()).contains("speedup sweep of 'swept'", "Karp-Flatt");
    }
}
