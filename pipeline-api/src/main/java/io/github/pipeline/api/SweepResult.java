package io.github.pipeline.api;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a {@link SpeedupSweep} measured: for each level of parallelism, the speedup over parallelism 1,
 * the Karp-Flatt serial fraction, and the speedups that the profile at parallelism 1 predicted.
 *
 * @param pipeline the pipeline's name
 * @param baseline the profile of the fastest run at parallelism 1: the work of each stage, measured
 *                 without contention, from which the predictions come
 * @param widest   the profile of the fastest run at the highest parallelism: it says which stages run
 *                 on rails
 * @param points   one point per level, in increasing parallelism, the first at parallelism 1
 */
public record SweepResult(String pipeline, RunProfile baseline, RunProfile widest, List<SweepPoint> points) {

    /**
     * Creates a sweep result.
     *
     * @param pipeline the pipeline's name
     * @param baseline the profile at parallelism 1
     * @param widest   the profile at the highest parallelism
     * @param points   the measured levels
     */
    public SweepResult {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(widest, "widest");
        points = List.copyOf(points);
    }

    /**
     * Returns the model behind the predictions: the shares of work measured at parallelism 1, with the
     * stages that run on rails at the highest parallelism counted as parallel.
     *
     * @return the speedup model
     */
    public SpeedupModel model() {
        return model(baseline, widest);
    }

    static SpeedupModel model(RunProfile baseline, RunProfile widest) {
        Set<String> parallel = widest.stages().stream().filter(StageProfile::parallel).map(StageProfile::name)
                .collect(Collectors.toSet());
        return baseline.speedupModel(parallel);
    }

    /**
     * Returns the mean Karp-Flatt serial fraction over the levels above 1.
     *
     * @return the mean of {@code e(n)} for {@code n >= 2}, NaN if the sweep has no such level
     */
    public double meanKarpFlatt() {
        return points.stream().filter(p -> p.parallelism() > 1).mapToDouble(SweepPoint::karpFlatt).average()
                .orElse(Double.NaN);
    }

    /**
     * Describes the sweep as a table: for each parallelism the time, the measured speedup, the
     * predictions and the Karp-Flatt serial fraction, then what they say.
     *
     * @return a multi-line text
     */
    public String text() {
        SpeedupModel model = model();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "speedup sweep of '%s': P = %.3f from the profile at n = 1 "
                + "(Amdahl's limit %.2f), largest sequential share s = %.3f%n", pipeline, model.parallelFraction(),
                model.amdahlLimit(), model.largestSerialShare()));
        String format = "  %4s %10s %9s %9s %10s %12s%n";
        sb.append(String.format(Locale.ROOT, format, "n", "time ms", "measured", "Amdahl", "streaming",
                "Karp-Flatt e"));
        for (SweepPoint p : points) {
            sb.append(String.format(Locale.ROOT, format, p.parallelism(), p.duration().toMillis(),
                    String.format(Locale.ROOT, "%.2f", p.speedup()), String.format(Locale.ROOT, "%.2f", p.amdahl()),
                    String.format(Locale.ROOT, "%.2f", p.streaming()),
                    Double.isNaN(p.karpFlatt()) ? "-" : String.format(Locale.ROOT, "%.3f", p.karpFlatt())));
        }
        double e = meanKarpFlatt();
        if (!Double.isNaN(e)) {
            sb.append(String.format(Locale.ROOT, "  mean Karp-Flatt e = %.3f against 1 - P = %.3f: %s%n", e,
                    1 - model.parallelFraction(), e > 1 - model.parallelFraction() + 0.05
                            ? "overhead (hand-offs, contention, shared cores) costs more than the serial work"
                            : "the serial work explains the speedup"));
        }
        return sb.toString();
    }
}
