package io.github.pipeline.runtime;

import java.util.Set;

/**
 * Every meter the engine registers, with its name, type, base unit and description: the one list that
 * {@code docs/observability.md} is checked against. Meters are tagged with {@value #PIPELINE} (the
 * pipeline's name) and, for stage meters, {@value #STAGE} (the stage's name); the run timer also with
 * {@value #STATUS}, one of four fixed values; a process stage's busy time also with {@value #WORKER}, the
 * worker's number. No tag ever carries item data.
 *
 * <p>Counters and timers are registered once per pipeline name and add up over its runs; the gauges of
 * a pipeline's stages exist while it has a run under way and are removed when its last run ends. Item
 * counts are read from the run's own accounting when the registry is read, so they cost nothing per
 * item and equal the counts of {@link io.github.pipeline.api.RunResult}; times and bytes are the
 * profile's sampled estimates.
 */
public enum PipelineMeter {

    /** Items that entered a stage. */
    STAGE_RECEIVED("pipeline.stage.received", Type.COUNTER, "items", "Items that entered the stage"),
    /** Items a stage processed. */
    STAGE_PROCESSED("pipeline.stage.processed", Type.COUNTER, "items",
            "Items the stage processed: their outputs, if any, were all emitted"),
    /** Items a stage emitted. */
    STAGE_EMITTED("pipeline.stage.emitted", Type.COUNTER, "items", "Items the stage emitted"),
    /** Items a filter rejected. */
    STAGE_FILTERED("pipeline.stage.filtered", Type.COUNTER, "items", "Items the stage's filter rejected"),
    /** Failed items the error policy skipped. */
    STAGE_SKIPPED("pipeline.stage.skipped", Type.COUNTER, "items",
            "Items whose function failed and that the stage's error policy skipped"),
    /** Failed items sent to the dead-letter sink. */
    STAGE_DEAD_LETTERED("pipeline.stage.dead.lettered", Type.COUNTER, "items",
            "Items whose function failed and that went to the stage's dead-letter sink"),
    /** Calls made again after a failure. */
    STAGE_RETRIES("pipeline.stage.retries", Type.COUNTER, "calls",
            "Calls of the stage's function made again after a failure"),
    /** Calls of a stage's function and their wall time. */
    STAGE_CALLS("pipeline.stage.calls", Type.TIMER, "seconds",
            "Calls of the stage's function and the wall time they took (time estimated from sampled calls)"),
    /** CPU time in a stage's function. */
    STAGE_CPU("pipeline.stage.cpu", Type.COUNTER, "seconds",
            "CPU time in the stage's function (estimated from sampled calls)"),
    /** Bytes allocated by a stage's function. */
    STAGE_ALLOCATED("pipeline.stage.allocated", Type.COUNTER, "bytes",
            "Bytes allocated by the stage's function (estimated from sampled calls; 0 where the JVM does not count them)"),
    /** Head-of-line stalls of the ordered merge after a stage, and their time. */
    STAGE_ORDERED_STALLS("pipeline.stage.ordered.stalls", Type.TIMER, "seconds",
            "Stalls of the ordered merge after the stage, and their time: results were ready but an earlier item "
                    + "was still being worked on (head-of-line blocking); only for stages that end an ordered rail segment"),
    /** Items inside a stage. */
    STAGE_IN_FLIGHT("pipeline.stage.in.flight", Type.GAUGE, "items",
            "Items the stage has received and not yet accounted for: being processed, retried or emitted"),
    /** Items waiting in front of a stage. */
    STAGE_BUFFERED("pipeline.stage.buffered", Type.GAUGE, "items",
            "Items emitted by the step before the stage and not yet received by it: waiting in the buffers in front of it"),
    /** Worker processes of a process stage started again. */
    STAGE_WORKER_RESTARTS("pipeline.stage.worker.restarts", Type.COUNTER, "processes",
            "Worker processes of a process stage started again after one died or was killed"),
    /** Busy time of each worker process of a process stage. */
    STAGE_WORKER_BUSY("pipeline.stage.worker.busy", Type.COUNTER, "seconds",
            "Time each worker process of a process stage held at least one item: its rate is the worker's utilisation"),
    /** Items the source produced. */
    SOURCE_ITEMS("pipeline.source.items", Type.COUNTER, "items", "Items the source produced"),
    /** Time backpressure held the source back. */
    SOURCE_BLOCKED("pipeline.source.blocked", Type.COUNTER, "seconds",
            "Time the source waited because the pipeline had asked for no more items (backpressure)"),
    /** Items the sink took. */
    SINK_ITEMS("pipeline.sink.items", Type.COUNTER, "items", "Items the sink took"),
    /** Items waiting in front of the sink. */
    SINK_BUFFERED("pipeline.sink.buffered", Type.GAUGE, "items",
            "Items emitted by the last stage and not yet taken by the sink"),
    /** Runs that ended, and their duration, by status. */
    RUNS("pipeline.runs", Type.TIMER, "seconds",
            "Runs that ended and how long they took, by status: succeeded, failed, cancelled or timed-out"),
    /** Runs under way. */
    RUNS_ACTIVE("pipeline.runs.active", Type.GAUGE, "runs", "Runs of the pipeline under way");

    /** The tag that names the pipeline, on every meter. */
    public static final String PIPELINE = "pipeline";
    /** The tag that names the stage, on stage meters. */
    public static final String STAGE = "stage";
    /** The tag that numbers a process stage's worker (from 1), on {@link #STAGE_WORKER_BUSY}. */
    public static final String WORKER = "worker";
    /** The tag that gives how a run ended, on {@link #RUNS}. */
    public static final String STATUS = "status";

    /** The values of the {@value #STATUS} tag. */
    public static final Set<String> STATUSES = Set.of("succeeded", "failed", "cancelled", "timed-out");

    /** The kinds of meter. */
    public enum Type {
        /** A monotonic count (Micrometer's {@code FunctionCounter}). */
        COUNTER,
        /** A value that goes up and down (Micrometer's {@code Gauge}). */
        GAUGE,
        /** A count of events and their total time (Micrometer's {@code FunctionTimer} or {@code Timer}). */
        TIMER
    }

    private final String meterName;
    private final Type type;
    private final String baseUnit;
    private final String description;

    PipelineMeter(String meterName, Type type, String baseUnit, String description) {
        this.meterName = meterName;
        this.type = type;
        this.baseUnit = baseUnit;
        this.description = description;
    }

    /**
     * Returns the meter's name: lowercase, dot-separated, without its unit.
     *
     * @return for example {@code pipeline.stage.received}
     */
    public String meterName() {
        return meterName;
    }

    /**
     * Returns the kind of meter.
     *
     * @return counter, gauge or timer
     */
    public Type type() {
        return type;
    }

    /**
     * Returns the meter's base unit.
     *
     * @return for example {@code items}, {@code seconds} or {@code bytes}
     */
    public String baseUnit() {
        return baseUnit;
    }

    /**
     * Returns the meter's description, as registered.
     *
     * @return one sentence
     */
    public String description() {
        return description;
    }

    /**
     * Returns the tags the meter carries.
     *
     * @return {@value #PIPELINE}, and {@value #STAGE}, {@value #WORKER} or {@value #STATUS} where they apply
     */
    public Set<String> tags() {
        if (this == STAGE_WORKER_BUSY) {
            return Set.of(PIPELINE, STAGE, WORKER);
        }
        if (name().startsWith("STAGE_")) {
            return Set.of(PIPELINE, STAGE);
        }
        return this == RUNS ? Set.of(PIPELINE, STATUS) : Set.of(PIPELINE);
    }
}
