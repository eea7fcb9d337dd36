package io.github.pipeline.api;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a run spent its time, stage by stage, with the source and the sink: the {@link StageProfile}
 * of each, the bottleneck, and from the shares of the work the {@link SpeedupModel} of what more cores
 * would give. Available in {@link RunResult#profile()} after a run and from
 * {@link Execution#profile()} while it runs.
 *
 * @param pipeline the pipeline's name
 * @param duration the run's wall-clock time so far (all of it, once the run has ended)
 * @param cores    the processors available to the JVM during the run
 * @param coreWaitPerCpuNanosecond how long the JVM's threads waited for a core per nanosecond of CPU they
 *                 got during the run (from Linux's scheduler statistics; 0 where unknown): above 0 the
 *                 machine had more runnable threads than cores, and every time in the profile is stretched
 * @param stages   the source (named {@link StageProfile#SOURCE}), each stage in pipeline order, then the
 *                 sink ({@link StageProfile#SINK}); empty when the engine did not profile the run
 */
public record RunProfile(String pipeline, Duration duration, int cores, double coreWaitPerCpuNanosecond,
                         List<StageProfile> stages) {

    /**
     * Creates a run profile.
     *
     * @param pipeline the pipeline's name
     * @param duration the run's duration
     * @param cores    the available processors, at least 1
     * @param coreWaitPerCpuNanosecond run-queue wait per nanosecond of CPU, at least 0
     * @param stages   the stage profiles
     */
    public RunProfile {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(duration, "duration");
        stages = List.copyOf(stages);
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be at least 1, got " + cores);
        }
        if (!(coreWaitPerCpuNanosecond >= 0)) {
            throw new IllegalArgumentException("core wait per CPU nanosecond must be at least 0, got "
                    + coreWaitPerCpuNanosecond);
        }
    }

    /**
     * The profile of a run that was not profiled: no stages.
     *
     * @param pipeline the pipeline's name
     * @param duration the run's duration
     * @return an empty profile
     */
    public static RunProfile empty(String pipeline, Duration duration) {
        return new RunProfile(pipeline, duration, Runtime.getRuntime().availableProcessors(), 0, List.of());
    }

    /**
     * Returns whether the run was profiled.
     *
     * @return {@code false} for an {@linkplain #empty empty} profile
     */
    public boolean isEmpty() {
        return stages.isEmpty();
    }

    /**
     * Returns the profile of the named stage ({@link StageProfile#SOURCE} and {@link StageProfile#SINK}
     * name the source and the sink).
     *
     * @param name the stage's name
     * @return its profile
     * @throws NoSuchElementException if the profile has no such stage
     */
    public StageProfile stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no stage named '" + name + "' in the profile of '"
                        + pipeline + "'"));
    }

    /**
     * Returns the bottleneck: the stage (or source, or sink) whose busiest slot worked longest, which
     * sets the pace of the run when that slot was busy for much of it; one busy less than half the run
     * leaves most of the run's time between calls (handing items between threads, waiting for a core),
     * and its {@linkplain StageProfile#suggestion() suggestion} says so.
     *
     * @return the bottleneck, or empty if nothing was measured
     */
    public Optional<StageProfile> bottleneck() {
        return stages.stream().filter(StageProfile::bottleneck).findFirst();
    }

    /**
     * Returns all the work measured: the {@linkplain StageProfile#workNanos() work} of every stage's
     * function, the source's reads and the sink's writes, added up.
     *
     * @return nanoseconds of work
     */
    public long totalWorkNanos() {
        return stages.stream().mapToLong(StageProfile::workNanos).sum();
    }

    /**
     * Returns Amdahl's {@code P}: the share of the {@linkplain #totalWorkNanos() work} done in stages that
     * run on parallel rails.
     *
     * @return from 0 to 1; 0 when no work was measured
     */
    public double parallelFraction() {
        return speedupModel().parallelFraction();
    }

    /**
     * Returns the speedup model of the run's work, taking as parallel the stages that ran on rails.
     *
     * @return Amdahl's law and the streaming bound for this run's shares of work
     */
    public SpeedupModel speedupModel() {
        return speedupModel(stages.stream().filter(StageProfile::parallel).map(StageProfile::name)
                .collect(Collectors.toSet()));
    }

    /**
     * Returns the speedup model of the run's work, taking as parallel the named stages. Use it on the
     * profile of a run with parallelism 1 (where every stage ran sequentially, and the work is measured
     * without contention) to model the stages that a parallel run would spread over rails.
     *
     * @param parallelStages the names of the stages to count as parallel
     * @return the model
     */
    public SpeedupModel speedupModel(Set<String> parallelStages) {
        long total = totalWorkNanos();
        if (total <= 0) {
            return new SpeedupModel(0, 0);
        }
        long parallel = 0;
        long largestSerial = 0;
        for (StageProfile s : stages) {
            if (parallelStages.contains(s.name())) {
                parallel += s.workNanos();
            } else {
                largestSerial = Math.max(largestSerial, s.workNanos());
            }
        }
        double p = (double) parallel / total;
        return new SpeedupModel(p, Math.min(1 - p, (double) largestSerial / total));
    }

    /**
     * Describes the profile as a table, one line per stage, then the bottleneck, the speedup model and
     * the suggestions.
     *
     * @return a multi-line text
     */
    public String text() {
        StringBuilder sb = new StringBuilder();
        if (stages.isEmpty()) {
            return sb.append("profile of '").append(pipeline).append("': not profiled\n").toString();
        }
        long sampled = stages.stream().mapToLong(StageProfile::sampledCalls).sum();
        long calls = stages.stream().mapToLong(StageProfile::calls).sum();
        sb.append(String.format(Locale.ROOT, "profile of '%s': %d ms on %d cores, clocks read on %d of %d calls%n",
                pipeline, duration.toMillis(), cores, sampled, calls));
        if (coreWaitPerCpuNanosecond >= 0.1) {
            sb.append(String.format(Locale.ROOT, "  the machine was busy: the JVM's threads waited %.1f ns for a core per "
                    + "ns of CPU, so every time here is stretched%n", coreWaitPerCpuNanosecond));
        }
        int width = Math.max(10, stages.stream().mapToInt(s -> s.name().length()).max().orElse(0) + 2);
        String format = "  %-" + width + "s %-7s %5s %10s %10s %5s %6s %6s %10s %5s %9s  %s%n";
        sb.append(String.format(Locale.ROOT, format, "stage", "kind", "slots", "calls", "wall ms", "cpu%",
                "core%", "wait%", "alloc/call", "busy", "blocked", "workload"));
        for (StageProfile s : stages) {
            String name = (s.bottleneck() ? "*" : "") + s.name();
            double wall = s.wallNanos();
            sb.append(String.format(Locale.ROOT, format, name, s.kind(), s.slots() + (s.parallel() ? "p" : ""),
                    s.calls(), String.format(Locale.ROOT, "%.1f", wall / 1e6),
                    s.cpuNanos() < 0 ? "-" : percent(s.cpuNanos(), wall),
                    s.cpuNanos() < 0 ? "-" : percent(Math.max(0, s.coreWaitNanos()), wall),
                    s.cpuNanos() < 0 ? "-" : percent(s.offCpuWaitNanos(), wall),
                    s.allocatedBytes() < 0 ? "-" : bytes(s.calls() == 0 ? 0 : s.allocatedBytes() / s.calls()),
                    String.format(Locale.ROOT, "%.2f", s.utilisation()),
                    s.blockedNanos() < 0 ? "-" : String.format(Locale.ROOT, "%.0fms", s.blockedNanos() / 1e6),
                    s.workload().name().toLowerCase(Locale.ROOT).replace('_', '-')));
        }
        sb.append("  (* the bottleneck; p: parallel rails; wall: time in the function, all slots added up; core: waiting\n"
                + "   for a core; wait: waiting for I/O, locks, sleeps; busy: share of the slots' time in the function)\n");
        for (StageProfile s : stages) {
            if (s.hasOrderedMerge()) {
                sb.append(orderedMergeLine(s));
            }
        }
        bottleneck().ifPresent(b -> sb.append(String.format(Locale.ROOT,
                "bottleneck: '%s', busy %.0f%% of the run on each of its %d slot(s)%n",
                b.name(), 100 * b.utilisation(), b.slots())));
        SpeedupModel model = speedupModel();
        sb.append(String.format(Locale.ROOT, "parallel share of the work P = %.3f; largest sequential share s = %.3f%n",
                model.parallelFraction(), model.largestSerialShare()));
        sb.append("  cores n:          ");
        int maxN = 2 * cores;
        for (int n = 1; n <= maxN; n++) {
            sb.append(String.format(Locale.ROOT, "%6d", n));
        }
        sb.append("\n  Amdahl S(n):      ");
        for (int n = 1; n <= maxN; n++) {
            sb.append(String.format(Locale.ROOT, "%6.2f", model.amdahl(n)));
        }
        sb.append("\n  streaming bound:  ");
        for (int n = 1; n <= maxN; n++) {
            sb.append(String.format(Locale.ROOT, "%6.2f", model.streaming(n)));
        }
        sb.append('\n');
        sb.append("suggestions:\n");
        for (StageProfile s : stages) {
            sb.append("  ").append(s.name()).append(": ").append(s.suggestion()).append('\n');
        }
        return sb.toString();
    }

    /** Share of the run from which head-of-line blocking is worth a word of advice. */
    private static final double NOTABLE_STALL = 0.2;

    /** One line on the head-of-line blocking of the ordered merge after stage {@code s}. */
    private String orderedMergeLine(StageProfile s) {
        double share = duration.isZero() ? 0 : (double) s.stalledNanos() / duration.toNanos();
        String line = String.format(Locale.ROOT, "ordered merge after '%s': stalled %.1f ms (%.0f%% of the run) "
                + "holding results while an earlier item was still being worked on (head-of-line blocking)",
                s.name(), s.stalledNanos() / 1e6, 100 * share);
        if (share >= NOTABLE_STALL) {
            line += "; slow items hold the others back: if order does not matter, make the stage unordered";
        }
        return line + "\n";
    }

    private static String percent(long part, double whole) {
        return whole <= 0 ? "-" : String.format(Locale.ROOT, "%.0f", 100 * part / whole);
    }

    /** Formats a number of bytes with a binary unit: {@code 512B}, {@code 1.5KiB}, {@code 12.0MiB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1fKiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1fMiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.1fGiB", bytes / (1024.0 * 1024 * 1024));
    }
}
