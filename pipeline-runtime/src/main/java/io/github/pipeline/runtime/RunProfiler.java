package io.github.pipeline.runtime;

import io.github.pipeline.api.ExecutorKind;
import io.github.pipeline.api.ProcessStage;
import io.github.pipeline.api.RunProfile;
import io.github.pipeline.api.Stage;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.StageProfile;
import io.github.pipeline.api.StageStats;
import io.github.pipeline.api.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns what a run's probes measured into its {@link RunProfile}: per stage (and for the source and the
 * sink) the estimated wall, CPU and core-wait time, allocation, utilisation, blocked time and, after
 * an ordered rail segment, the head-of-line stall of its merge; the
 * bottleneck; a {@link Workload} and a one-line suggestion for each.
 *
 * <p>The bottleneck is the part whose busiest slot worked longest: its wall time divided by the slots
 * it can use at once (a CPU-bound stage cannot use more rails than there are cores).
 */
final class RunProfiler {

    /** A stage is {@link Workload#WAITING} when at least this share of its wall time is spent off-CPU. */
    static final double WAITING_SHARE = 0.5;
    /** A stage may be allocation-heavy from this many bytes per call... */
    static final long HEAVY_BYTES_PER_CALL = 1024;
    /** ...when it also allocates at least this many bytes per second of CPU time. */
    static final double HEAVY_BYTES_PER_CPU_SECOND = 256.0 * 1024 * 1024;
    /** Below this wall time per call, handing items to rails costs about as much as the work. */
    static final double CHEAP_CALL_NANOS = 1_000;
    /**
     * A bottleneck busy less than this share of the run (on each slot it can use at once: CPU-bound rails
     * beyond the cores share them) does not set its pace by its calls: the run's time went mostly between
     * calls (ten million additions of a few nanoseconds each kept no part of a 245 ms run busy 40% of it).
     */
    static final double PACE_SETTING_BUSY = 0.5;

    private RunProfiler() {
    }

    /** One measured part of the run: the source, a stage or the sink. */
    record Part(String name, String kind, int slots, boolean parallel, boolean cpuRails, boolean canBeParallel,
                boolean blockingExecutor, boolean hasFunction, long calls, StageProbe probe, long blockedNanos,
                long stalledNanos) {
    }

    static RunProfile profile(RunState state) {
        Duration elapsed = state.elapsed();
        int cores = Runtime.getRuntime().availableProcessors();
        if (!state.profiled) {
            return new RunProfile(state.pipelineName(), elapsed, cores, 0, List.of());
        }
        double contention = state.contention();
        List<Part> parts = new ArrayList<>();
        parts.add(new Part(StageProfile.SOURCE, "source", 1, false, false, false, false, true,
                state.sourceItems.sum(), state.sourceProbe, state.sourceDemand.blockedNanos(), -1));
        List<Stage> stages = state.pipeline.stages();
        for (int i = 0; i < stages.size(); i++) {
            Stage stage = stages.get(i);
            StageOptions options = stage.options();
            StageCounters counters = state.stages.get(i);
            StageStats stats = counters.snapshot();
            boolean parallel = options.isParallel();
            boolean hasFunction = !"batch".equals(stage.kind()) && !"via".equals(stage.kind());
            if (stage instanceof ProcessStage<?, ?> process) {
                // its calls are round trips to its worker processes, as many at once as it has workers
                int workers = process.workers().workers();
                parts.add(new Part(stage.name(), stage.kind(), workers, workers > 1, false, true, true, true,
                        stats.received() + stats.retried(), counters.probe, -1, -1));
                continue;
            }
            parts.add(new Part(stage.name(), stage.kind(), options.parallelism(), parallel,
                    parallel && options.executor() == ExecutorKind.CPU_BOUND, stage.canRunInParallel(),
                    options.executor().mayBlock(), hasFunction, stats.received() + stats.retried(),
                    counters.probe, -1, counters.headOfLine.isAttached() ? counters.headOfLine.stalledNanos() : -1));
        }
        parts.add(new Part(StageProfile.SINK, "sink", 1, false, false, false, false, true, state.sinkItems.sum(),
                state.sinkProbe, -1, -1));

        int bottleneck = -1;
        double busiest = 0;
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            long work = work(part, contention);
            double busy = (double) work / (part.cpuRails ? Math.min(part.slots, cores) : part.slots);
            if (busy > busiest) {
                busiest = busy;
                bottleneck = i;
            }
        }
        List<StageProfile> profiles = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            profiles.add(profileOf(parts.get(i), i == bottleneck, elapsed, cores, contention));
        }
        return new RunProfile(state.pipelineName(), elapsed, cores, contention, profiles);
    }

    /** Wall time less the estimated wait for a core: what the calls would take with a core each. */
    private static long work(Part part, double contention) {
        long wall = part.probe.wallNanos();
        long cpu = cpuOf(part, wall);
        return cpu < 0 ? wall : wall - coreWait(wall, cpu, contention);
    }

    /**
     * The CPU time of a part's calls: the probe's estimate, at most their wall time; or their wall time
     * when they average less than one read of the thread's CPU clock (about 1.5 us in the virtual
     * machine of docs/benchmarks.md). Such a call's CPU time is lost in the jitter of the clock's own
     * cost, which each sample takes off: a sink adding longs showed 0% CPU and was called waiting. And a
     * call that short does not wait: blocking takes a context switch, which costs more.
     */
    static long cpuOf(Part part, long wall) {
        long cpu = Math.min(wall, part.probe.cpuNanos());
        if (cpu >= 0 && part.calls > 0 && wall < part.calls * Math.max(1, ThreadClocks.OVERHEAD.cpuNanos())) {
            return wall;
        }
        return cpu;
    }

    private static long coreWait(long wall, long cpu, double contention) {
        return (long) Math.min(Math.max(0, wall - cpu), cpu * contention);
    }

    private static StageProfile profileOf(Part part, boolean bottleneck, Duration elapsed, int cores, double contention) {
        StageProbe probe = part.probe;
        long wall = probe.wallNanos();
        long cpu = cpuOf(part, wall);
        long allocated = probe.allocatedBytes();
        long coreWait = cpu < 0 ? -1 : coreWait(wall, cpu, contention);
        double utilisation = elapsed.isZero() ? 0 : Math.min(1.0, (double) wall / ((double) part.slots * elapsed.toNanos()));
        Workload workload = classify(probe.samples(), wall, cpu, coreWait, allocated, part.calls);
        String suggestion = suggest(part, workload, bottleneck, utilisation, wall, cpu, coreWait, allocated, elapsed, cores);
        return new StageProfile(part.name, part.kind, part.slots, part.parallel, part.calls, probe.samples(), wall,
                cpu, coreWait, allocated, part.blockedNanos, part.stalledNanos, utilisation, bottleneck, workload,
                suggestion);
    }

    /** What a stage spends its time on, from its estimated totals. */
    static Workload classify(long samples, long wall, long cpu, long coreWait, long allocated, long calls) {
        if (samples == 0 || wall <= 0 || cpu < 0) {
            return Workload.UNMEASURED;
        }
        long offCpu = Math.max(0, wall - cpu - Math.max(0, coreWait));
        if (offCpu >= WAITING_SHARE * wall) {
            return Workload.WAITING;
        }
        if (allocated >= 0 && calls > 0 && cpu > 0 && allocated / calls >= HEAVY_BYTES_PER_CALL
                && allocated / (cpu / 1e9) >= HEAVY_BYTES_PER_CPU_SECOND) {
            return Workload.ALLOCATION_HEAVY;
        }
        return Workload.CPU_BOUND;
    }

    /** The one-line suggestion for a part, from its estimates and its place in the run. */
    static String suggest(Part part, Workload workload, boolean bottleneck, double utilisation, long wall,
                          long cpu, long coreWait, long allocated, Duration elapsed, int cores) {
        String busy = String.format(Locale.ROOT, "busy %.0f%% of the run", 100 * utilisation);
        String betweenCalls = "the busiest part, yet " + busy + ": the run's time went mostly between calls "
                + "(handing items from thread to thread, waiting for a core), not into them";
        // CPU-bound rails beyond the cores share them: 4 rails busy 39% each kept 2 cores busy 78%
        double busyPerUsableSlot = part.cpuRails && part.slots > cores ? utilisation * part.slots / cores : utilisation;
        boolean setsThePace = bottleneck && busyPerUsableSlot >= PACE_SETTING_BUSY;
        if (part.name.equals(StageProfile.SOURCE)) {
            if (bottleneck && !setsThePace) {
                return betweenCalls;
            }
            if (bottleneck) {
                return "the source sets the pace (" + busy + "): read faster (a cheaper format, larger reads) or split the input";
            }
            double blocked = elapsed.isZero() ? 0 : (double) part.blockedNanos / elapsed.toNanos();
            return blocked >= 0.2
                    ? String.format(Locale.ROOT, "held back by backpressure %.0f%% of the run: the stages after it set the pace", 100 * blocked)
                    : "keeps up (" + busy + ")";
        }
        if (part.name.equals(StageProfile.SINK)) {
            if (bottleneck && !setsThePace) {
                return betweenCalls;
            }
            return bottleneck
                    ? "the sink sets the pace (" + busy + "): write in batches (a batch stage before it) or to a faster target"
                    : "keeps up (" + busy + ")";
        }
        double perCall = part.calls == 0 ? 0 : (double) wall / part.calls;
        switch (workload) {
            case UNMEASURED:
                if (!part.hasFunction) {
                    return "no function per item to measure; it runs sequentially";
                }
                return part.calls == 0 ? "made no call" : "CPU time is not measurable on this JVM";
            case WAITING:
                String waits = String.format(Locale.ROOT, "waits %.0f%% of its time in calls",
                        100.0 * Math.max(0, wall - cpu - Math.max(0, coreWait)) / wall);
                if (!part.blockingExecutor) {
                    return waits + ": make it a blocking stage (StageOptions.blocking(n)) so that waiting holds no core";
                }
                if (setsThePace) {
                    return waits + " and sets the pace: raise its concurrency above " + part.slots;
                }
                return waits + " on " + part.slots + " blocking slot(s), " + busy + ": enough concurrency";
            case ALLOCATION_HEAVY:
                return "allocates " + bytes(allocated / Math.max(1, part.calls)) + " per call: reuse buffers; "
                        + "garbage collection and memory bandwidth, shared by all rails, limit what more rails give";
            default:
                if (part.parallel && perCall < CHEAP_CALL_NANOS && !part.probe.inChunks()) {
                    // (in chunks, as automatic chunking hands cheap calls to rails, the advice is taken)
                    return String.format(Locale.ROOT, "cheap (%.0f ns per call): chunk it or leave it sequential; "
                            + "handing items to rails costs about as much as the work", perCall);
                }
                if (!bottleneck) {
                    return "not the bottleneck (" + busy + "): leave it as it is";
                }
                if (!setsThePace) {
                    return betweenCalls;
                }
                if (!part.canBeParallel) {
                    return "sets the pace and runs sequentially by nature: make its work cheaper";
                }
                if (!part.parallel) {
                    return "sets the pace, sequentially (" + busy + "): run it on rails (StageOptions.parallel())";
                }
                if (part.slots < cores) {
                    return "sets the pace on " + part.slots + " rails: raise its parallelism to the " + cores + " cores";
                }
                return "sets the pace, " + busy + " on each of its " + part.slots
                        + " rails: only more cores would help (see the speedup model)";
        }
    }

    private static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
