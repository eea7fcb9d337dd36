package io.github.pipeline.api;

import java.time.Duration;
import java.util.Objects;

/**
 * What one stage (or the source, or the sink) cost in a run: the time its function ran, the part of
 * that time spent on a CPU and the part spent waiting, what it allocated, how busy its threads were,
 * and what that says about it.
 *
 * <p>The clocks are sampled: the engine reads them around some calls, more often for expensive calls
 * and less often for cheap ones, and estimates each total as the sum of the measured calls, each
 * weighted by the inverse of its chance of being measured. {@link #sampledCalls()} says how many were
 * measured; with a few hundred the estimates are good to a few percent.
 *
 * @param name           the stage's name, or {@link #SOURCE} or {@link #SINK}
 * @param kind           the stage's kind ({@code map}, {@code filter}, ...), or {@code source} or {@code sink}
 * @param slots          how many calls can run at once: the rails of a parallel stage, the concurrency of
 *                       a blocking one, 1 for a sequential stage, the source and the sink
 * @param parallel       whether the stage runs on parallel rails (its work counts as parallelisable)
 * @param calls          calls of the function (items, plus retries; items read or written for the source
 *                       and the sink)
 * @param sampledCalls   calls whose clocks were read
 * @param wallNanos      estimated wall-clock time in the function, over all calls and slots
 * @param cpuNanos       estimated CPU time in the function, or -1 if the JVM cannot measure it
 * @param coreWaitNanos  the part of the {@linkplain #waitingNanos() waiting} estimated to be spent
 *                       runnable but without a core, when the machine has more runnable threads than
 *                       cores (from Linux's scheduler statistics; 0 where they are not available)
 * @param allocatedBytes estimated bytes allocated by the function, or -1 if the JVM cannot measure it
 * @param blockedNanos   time the stage could not go on because the stages after it asked for nothing
 *                       (backpressure), or -1 where it is not measured (measured for the source)
 * @param stalledNanos   for the last stage of a parallel segment that keeps source order: time its
 *                       ordered merge held results that were ready while the stages after it asked for
 *                       more, because an earlier item was still being worked on (head-of-line blocking);
 *                       -1 for every other stage, the source and the sink
 * @param utilisation    {@code wallNanos / (slots * run duration)}: the share of its slots' time the
 *                       function was running, from 0 to 1
 * @param bottleneck     whether this is the run's bottleneck: the stage whose slots had the most
 *                       {@linkplain #workNanos() work} each
 * @param workload       what the stage spends its time on
 * @param suggestion     one line on what to do about it
 */
public record StageProfile(String name, String kind, int slots, boolean parallel, long calls, long sampledCalls,
                           long wallNanos, long cpuNanos, long coreWaitNanos, long allocatedBytes, long blockedNanos,
                           long stalledNanos, double utilisation, boolean bottleneck, Workload workload,
                           String suggestion) {

    /** The name under which the profile lists the source. */
    public static final String SOURCE = "<source>";

    /** The name under which the profile lists the sink. */
    public static final String SINK = "<sink>";

    /**
     * Creates a stage profile.
     *
     * @param name           the stage's name
     * @param kind           its kind
     * @param slots          calls that can run at once, at least 1
     * @param parallel       whether it runs on rails
     * @param calls          calls of the function
     * @param sampledCalls   calls measured
     * @param wallNanos      wall time in the function
     * @param cpuNanos       CPU time in the function, or -1
     * @param coreWaitNanos  waiting for a core
     * @param allocatedBytes bytes allocated, or -1
     * @param blockedNanos   time blocked by backpressure, or -1
     * @param stalledNanos   head-of-line blocking of its ordered merge, or -1
     * @param utilisation    busy share of the slots
     * @param bottleneck     whether it is the bottleneck
     * @param workload       the classification
     * @param suggestion     what to do
     */
    public StageProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(suggestion, "suggestion");
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, got " + slots + " for stage '" + name + "'");
        }
    }

    /**
     * Creates the profile of a stage without an ordered merge after it ({@link #stalledNanos()} -1).
     *
     * @param name           the stage's name
     * @param kind           its kind
     * @param slots          calls that can run at once, at least 1
     * @param parallel       whether it runs on rails
     * @param calls          calls of the function
     * @param sampledCalls   calls measured
     * @param wallNanos      wall time in the function
     * @param cpuNanos       CPU time in the function, or -1
     * @param coreWaitNanos  waiting for a core
     * @param allocatedBytes bytes allocated, or -1
     * @param blockedNanos   time blocked by backpressure, or -1
     * @param utilisation    busy share of the slots
     * @param bottleneck     whether it is the bottleneck
     * @param workload       the classification
     * @param suggestion     what to do
     */
    public StageProfile(String name, String kind, int slots, boolean parallel, long calls, long sampledCalls,
                        long wallNanos, long cpuNanos, long coreWaitNanos, long allocatedBytes, long blockedNanos,
                        double utilisation, boolean bottleneck, Workload workload, String suggestion) {
        this(name, kind, slots, parallel, calls, sampledCalls, wallNanos, cpuNanos, coreWaitNanos, allocatedBytes,
                blockedNanos, -1, utilisation, bottleneck, workload, suggestion);
    }

    /**
     * Returns whether an ordered merge follows this stage, so that {@link #stalledNanos()} is measured.
     *
     * @return {@code true} for the last stage of a parallel segment that keeps source order
     */
    public boolean hasOrderedMerge() {
        return stalledNanos >= 0;
    }

    /**
     * Returns the time in the function that was not CPU time: waiting for I/O, locks or sleeps, or for
     * a core (when more threads are runnable than there are cores, see {@link #coreWaitNanos()}).
     *
     * @return {@code wallNanos - cpuNanos}, at least 0, or -1 if CPU time is not measured
     */
    public long waitingNanos() {
        return cpuNanos < 0 ? -1 : Math.max(0, wallNanos - cpuNanos);
    }

    /**
     * Returns the waiting that was not for a core: I/O, locks, sleeps, remote calls.
     *
     * @return {@code waitingNanos - coreWaitNanos}, at least 0, or -1 if CPU time is not measured
     */
    public long offCpuWaitNanos() {
        return cpuNanos < 0 ? -1 : Math.max(0, waitingNanos() - Math.max(0, coreWaitNanos));
    }

    /**
     * Returns the work of the stage: its wall time less the time it waited for a core. It is what the
     * calls would have taken with a core each, so it does not grow when a run has more threads than
     * cores; the speedup model and the bottleneck are worked out from it.
     *
     * @return {@code wallNanos - coreWaitNanos}
     */
    public long workNanos() {
        return wallNanos - Math.max(0, coreWaitNanos);
    }

    /**
     * Returns the mean wall time of one call.
     *
     * @return nanoseconds per call, 0 if there were no calls
     */
    public double wallNanosPerCall() {
        return calls == 0 ? 0 : (double) wallNanos / calls;
    }

    /**
     * Returns the wall time in the function as a duration.
     *
     * @return the estimated wall time
     */
    public Duration wall() {
        return Duration.ofNanos(wallNanos);
    }

    /**
     * Returns the items (calls) per second of the run's duration.
     *
     * @param runDuration the run's duration
     * @return calls per second, 0 if no time has passed
     */
    public double callsPerSecond(Duration runDuration) {
        double seconds = runDuration.toNanos() / 1e9;
        return seconds <= 0 ? 0 : calls / seconds;
    }
}
