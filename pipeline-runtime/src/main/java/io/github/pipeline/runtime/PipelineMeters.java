package io.github.pipeline.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.github.pipeline.api.StageStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one pipeline name in one registry, over all its runs. Counters and timers read, when
 * the registry reads them, the totals of the runs that have ended plus the live counts of the runs under
 * way, so they cost nothing per item and equal the runs' accounting. Ending a run folds its counts into
 * the totals under the same lock as the reads, so no read sees a count twice or not at all. The gauges
 * of the stages (items in flight and buffered) exist while a run is under way: the last run to end
 * removes them, so a JVM that runs many pipelines does not keep a gauge for each.
 */
final class PipelineMeters {

    /** What the meters read from a stage's counters and probe. */
    private enum Quantity {
        RECEIVED, PROCESSED, EMITTED, FILTERED, SKIPPED, DEAD_LETTERED, RETRIED, CALLS, WALL, CPU, ALLOCATED,
        STALLS, STALLED;

        long of(StageCounters counters, StageStats stats) {
            return switch (this) {
                case RECEIVED -> stats.received();
                case PROCESSED -> stats.processed();
                case EMITTED -> stats.emitted();
                case FILTERED -> stats.filtered();
                case SKIPPED -> stats.skipped();
                case DEAD_LETTERED -> stats.deadLettered();
                case RETRIED -> stats.retried();
                case CALLS -> stats.received() + stats.retried();
                case WALL -> counters.probe.wallNanos();
                case CPU -> Math.max(0, counters.probe.cpuNanos());
                case ALLOCATED -> Math.max(0, counters.probe.allocatedBytes());
                case STALLS -> counters.headOfLine.stalls();
                case STALLED -> counters.headOfLine.stalledNanos();
            };
        }
    }

    private static final Quantity[] QUANTITIES = Quantity.values();

    private final String pipeline;
    private final Tags tags;
    /** Guarded by {@code this}: the runs under way. */
    private final List<RunState> live = new ArrayList<>();
    /** Guarded by {@code this}: per stage, the totals of the runs that have ended. */
    private final Map<String, long[]> ended = new HashMap<>();
    /** Guarded by {@code this}: whether the pipeline-level meters exist. */
    private boolean registered;
    /** Guarded by {@code this}: the stages whose ordered-merge stall timer exists. */
    private final Set<String> stallTimers = new HashSet<>();
    /** Guarded by {@code this}: the gauges of the stages, while a run is under way. */
    private final List<Meter.Id> gauges = new ArrayList<>();
    /** Guarded by {@code this}: per process stage, the ended runs' worker restarts, then each worker's busy nanoseconds. */
    private final Map<String, long[]> endedWorkers = new HashMap<>();
    private long endedSource;
    private long endedSink;
    private long endedBlocked;

    PipelineMeters(String pipeline) {
        this.pipeline = pipeline;
        this.tags = Tags.of(PipelineMeter.PIPELINE, pipeline);
    }

    synchronized void attach(RunState state, MeterRegistry registry) {
        if (!registered) {
            registered = true;
            counter(registry, PipelineMeter.SOURCE_ITEMS, tags, m -> m.pipelineTotal(0));
            counter(registry, PipelineMeter.SINK_ITEMS, tags, m -> m.pipelineTotal(1));
            counter(registry, PipelineMeter.SOURCE_BLOCKED, tags, m -> m.pipelineTotal(2) / 1e9);
            Gauge.builder(PipelineMeter.RUNS_ACTIVE.meterName(), this, PipelineMeters::active)
                    .tags(tags).baseUnit(PipelineMeter.RUNS_ACTIVE.baseUnit())
                    .description(PipelineMeter.RUNS_ACTIVE.description()).register(registry);
        }
        for (int i = 0; i < state.stages.size(); i++) {
            StageCounters stage = state.stages.get(i);
            if (!ended.containsKey(stage.name)) {
                ended.put(stage.name, new long[QUANTITIES.length]);
                registerStage(registry, stage.name);
            }
            if (PipelineAssembly.endsOrderedSegment(state.pipeline.stages(), i) && stallTimers.add(stage.name)) {
                registerStallTimer(registry, stage.name);
            }
            if (stage.workers != null && !endedWorkers.containsKey(stage.name)) {
                endedWorkers.put(stage.name, new long[1 + stage.workers.workers()]);
                registerWorkers(registry, stage.name, stage.workers.workers());
            }
        }
        if (live.isEmpty()) {
            registerGauges(registry, state);
        }
        live.add(state);
    }

    /** Folds an ended run's counts into the totals; the last run under way removes the gauges. */
    synchronized void detach(RunState state, MeterRegistry registry) {
        if (!live.remove(state)) {
            return;
        }
        for (StageCounters stage : state.stages) {
            long[] totals = ended.get(stage.name);
            StageStats stats = stage.snapshot();
            for (Quantity q : QUANTITIES) {
                totals[q.ordinal()] += q.of(stage, stats);
            }
        }
        for (StageCounters stage : state.stages) {
            long[] workers = endedWorkers.get(stage.name);
            for (int i = 0; stage.workers != null && workers != null && i < workers.length; i++) {
                workers[i] += workerTotal(stage, i);
            }
        }
        endedSource += state.sourceItems.sum();
        endedSink += state.sinkItems.sum();
        endedBlocked += state.sourceDemand.blockedNanos();
        if (live.isEmpty()) {
            for (Meter.Id gauge : gauges) {
                registry.remove(gauge);
            }
            gauges.clear();
        }
    }

    private void registerStage(MeterRegistry registry, String stage) {
        Tags stageTags = tags.and(PipelineMeter.STAGE, stage);
        counter(registry, PipelineMeter.STAGE_RECEIVED, stageTags, m -> m.stageTotal(stage, Quantity.RECEIVED));
        counter(registry, PipelineMeter.STAGE_PROCESSED, stageTags, m -> m.stageTotal(stage, Quantity.PROCESSED));
        counter(registry, PipelineMeter.STAGE_EMITTED, stageTags, m -> m.stageTotal(stage, Quantity.EMITTED));
        counter(registry, PipelineMeter.STAGE_FILTERED, stageTags, m -> m.stageTotal(stage, Quantity.FILTERED));
        counter(registry, PipelineMeter.STAGE_SKIPPED, stageTags, m -> m.stageTotal(stage, Quantity.SKIPPED));
        counter(registry, PipelineMeter.STAGE_DEAD_LETTERED, stageTags,
                m -> m.stageTotal(stage, Quantity.DEAD_LETTERED));
        counter(registry, PipelineMeter.STAGE_RETRIES, stageTags, m -> m.stageTotal(stage, Quantity.RETRIED));
        counter(registry, PipelineMeter.STAGE_CPU, stageTags, m -> m.stageTotal(stage, Quantity.CPU) / 1e9);
        counter(registry, PipelineMeter.STAGE_ALLOCATED, stageTags, m -> m.stageTotal(stage, Quantity.ALLOCATED));
        FunctionTimer.builder(PipelineMeter.STAGE_CALLS.meterName(), this,
                        m -> (long) m.stageTotal(stage, Quantity.CALLS), m -> m.stageTotal(stage, Quantity.WALL),
                        TimeUnit.NANOSECONDS)
                .tags(stageTags).description(PipelineMeter.STAGE_CALLS.description()).register(registry);
    }

    /** The stall timer of a stage that ends an ordered rail segment; stages without one have no such meter. */
    private void registerStallTimer(MeterRegistry registry, String stage) {
        FunctionTimer.builder(PipelineMeter.STAGE_ORDERED_STALLS.meterName(), this,
                        m -> (long) m.stageTotal(stage, Quantity.STALLS), m -> m.stageTotal(stage, Quantity.STALLED),
                        TimeUnit.NANOSECONDS)
                .tags(tags.and(PipelineMeter.STAGE, stage)).description(PipelineMeter.STAGE_ORDERED_STALLS.description())
                .register(registry);
    }

    /** The restarts of a process stage's workers, and the busy time of each (tagged with its number). */
    private void registerWorkers(MeterRegistry registry, String stage, int workers) {
        Tags stageTags = tags.and(PipelineMeter.STAGE, stage);
        counter(registry, PipelineMeter.STAGE_WORKER_RESTARTS, stageTags, m -> m.workersTotal(stage, 0));
        for (int i = 1; i <= workers; i++) {
            int index = i;
            counter(registry, PipelineMeter.STAGE_WORKER_BUSY,
                    stageTags.and(PipelineMeter.WORKER, Integer.toString(i)), m -> m.workersTotal(stage, index) / 1e9);
        }
    }

    /** 0: restarts; i from 1: busy nanoseconds of worker i. */
    private static long workerTotal(StageCounters stage, int which) {
        if (which == 0) {
            return stage.workers.restarts.sum();
        }
        return which <= stage.workers.workers() ? stage.workers.busyNanos(which - 1) : 0;
    }

    private synchronized double workersTotal(String stage, int which) {
        long[] totals = endedWorkers.get(stage);
        long sum = totals == null || which >= totals.length ? 0 : totals[which];
        for (RunState run : live) {
            for (StageCounters counters : run.stages) {
                if (counters.name.equals(stage) && counters.workers != null) {
                    sum += workerTotal(counters, which);
                }
            }
        }
        return sum;
    }

    private void registerGauges(MeterRegistry registry, RunState state) {
        for (int i = 0; i < state.stages.size(); i++) {
            String stage = state.stages.get(i).name;
            Tags stageTags = tags.and(PipelineMeter.STAGE, stage);
            int index = i;
            gauges.add(gauge(registry, PipelineMeter.STAGE_IN_FLIGHT, stageTags, m -> m.inFlight(index)));
            gauges.add(gauge(registry, PipelineMeter.STAGE_BUFFERED, stageTags, m -> m.buffered(index)));
        }
        gauges.add(gauge(registry, PipelineMeter.SINK_BUFFERED, tags, m -> m.buffered(state.stages.size())));
    }

    private void counter(MeterRegistry registry, PipelineMeter meter, Tags meterTags, ToDoubleFunction<PipelineMeters> f) {
        FunctionCounter.builder(meter.meterName(), this, f).tags(meterTags).baseUnit(meter.baseUnit())
                .description(meter.description()).register(registry);
    }

    private Meter.Id gauge(MeterRegistry registry, PipelineMeter meter, Tags meterTags, ToDoubleFunction<PipelineMeters> f) {
        return Gauge.builder(meter.meterName(), this, f).tags(meterTags).baseUnit(meter.baseUnit())
                .description(meter.description()).register(registry).getId();
    }

    private synchronized double active() {
        return live.size();
    }

    private synchronized double stageTotal(String stage, Quantity q) {
        long[] totals = ended.get(stage);
        long sum = totals == null ? 0 : totals[q.ordinal()];
        for (RunState run : live) {
            for (StageCounters counters : run.stages) {
                if (counters.name.equals(stage)) {
                    sum += q.of(counters, counters.snapshot());
                }
            }
        }
        return sum;
    }

    /** 0: source items, 1: sink items, 2: source blocked nanoseconds. */
    private synchronized double pipelineTotal(int which) {
        long sum = which == 0 ? endedSource : which == 1 ? endedSink : endedBlocked;
        for (RunState run : live) {
            sum += which == 0 ? run.sourceItems.sum() : which == 1 ? run.sinkItems.sum() : run.sourceDemand.blockedNanos();
        }
        return sum;
    }

    /** Items in the stage at {@code index}, over the runs under way. */
    private synchronized double inFlight(int index) {
        long sum = 0;
        for (RunState run : live) {
            if (index < run.stages.size()) {
                sum += Math.max(0, run.stages.get(index).snapshot().inFlight());
            }
        }
        return sum;
    }

    /** Items waiting in front of the stage at {@code index} (the sink, past the last), over the runs under way. */
    private synchronized double buffered(int index) {
        long sum = 0;
        for (RunState run : live) {
            if (index > run.stages.size()) {
                continue;
            }
            long taken = index == run.stages.size() ? run.sinkItems.sum() : run.stages.get(index).received.sum();
            long given = index == 0 ? run.sourceItems.sum() : run.stages.get(index - 1).snapshot().emitted();
            sum += Math.max(0, given - taken);
        }
        return sum;
    }

    @Override
    public String toString() {
        return "meters of pipeline '" + pipeline + "'";
    }
}
