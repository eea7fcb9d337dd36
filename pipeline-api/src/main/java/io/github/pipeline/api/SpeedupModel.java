package io.github.pipeline.api;

/**
 * Two estimates of the speedup that {@code n} cores would give a pipeline, from the shares of its work
 * measured in one run (see {@link RunProfile#speedupModel()}), and the Karp-Flatt metric to compare them
 * with speedups actually measured (see {@link SpeedupSweep}).
 *
 * <ul>
 *   <li><b>Amdahl's law</b>, {@code S(n) = 1 / (P/n + (1 - P))}: a share {@code P} of the work runs on
 *       {@code n} cores, the rest on one, one after the other. It is the classic bound for a program
 *       that alternates serial and parallel phases; its limit is {@code 1 / (1 - P)}.</li>
 *   <li><b>The streaming bound</b>, {@code S(n) = 1 / max(s, 1/n)}: a pipeline overlaps its stages, so
 *       a sequential stage runs on its own thread while the rails work on other items. Then a run at
 *       {@code n} cores takes at least the time of its largest sequential stage (share {@code s} of the
 *       work) and at least all the work divided by {@code n}. It is an upper bound that assumes perfect
 *       overlap and free hand-offs; a measured speedup between the two curves is normal.</li>
 * </ul>
 *
 * @param parallelFraction   {@code P}: the share of the work done in parallel stages, from 0 to 1
 * @param largestSerialShare {@code s}: the share of the work done in the largest sequential stage (the
 *                           source and the sink count as sequential stages), from 0 to {@code 1 - P}
 */
public record SpeedupModel(double parallelFraction, double largestSerialShare) {

    /** Rounding room when checking that the shares add up. */
    private static final double EPSILON = 1e-9;

    /**
     * Creates a model.
     *
     * @param parallelFraction   {@code P}, from 0 to 1
     * @param largestSerialShare {@code s}, from 0 to {@code 1 - P}
     * @throws IllegalArgumentException if a share is out of range
     */
    public SpeedupModel {
        if (!(parallelFraction >= 0 && parallelFraction <= 1)) {
            throw new IllegalArgumentException("parallel fraction must be between 0 and 1, got " + parallelFraction);
        }
        if (!(largestSerialShare >= 0 && largestSerialShare <= 1 - parallelFraction + EPSILON)) {
            throw new IllegalArgumentException("largest serial share must be between 0 and 1 - P = "
                    + (1 - parallelFraction) + ", got " + largestSerialShare);
        }
    }

    /**
     * Amdahl's law for this model's {@code P}.
     *
     * @param n the number of cores, at least 1
     * @return {@code 1 / (P/n + (1 - P))}
     */
    public double amdahl(int n) {
        return amdahl(parallelFraction, n);
    }

    /**
     * The streaming bound for this model.
     *
     * @param n the number of cores, at least 1
     * @return {@code 1 / max(s, 1/n)}
     */
    public double streaming(int n) {
        checkCores(n);
        return 1 / Math.max(largestSerialShare, 1.0 / n);
    }

    /**
     * Returns the limit of Amdahl's law as {@code n} grows: {@code 1 / (1 - P)}.
     *
     * @return the largest speedup any number of cores can give, infinite when {@code P == 1}
     */
    public double amdahlLimit() {
        return parallelFraction >= 1 ? Double.POSITIVE_INFINITY : 1 / (1 - parallelFraction);
    }

    /**
     * Amdahl's law: the speedup of a program whose parallel share {@code p} runs on {@code n} cores.
     *
     * @param p the parallel fraction, from 0 to 1
     * @param n the number of cores, at least 1
     * @return {@code 1 / (p/n + (1 - p))}
     * @throws IllegalArgumentException if {@code p} or {@code n} is out of range
     */
    public static double amdahl(double p, int n) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("parallel fraction must be between 0 and 1, got " + p);
        }
        checkCores(n);
        return 1 / (p / n + (1 - p));
    }

    /**
     * The Karp-Flatt metric: the serial fraction that a measured speedup implies,
     * {@code e(n) = (1/S - 1/n) / (1 - 1/n)}. It equals Amdahl's {@code 1 - P} when Amdahl's law holds
     * exactly; when it grows with {@code n}, overhead (hand-offs, contention, memory bandwidth) rather
     * than serial work is what limits the speedup.
     *
     * @param speedup the measured speedup {@code S(n)}, more than 0
     * @param n       the number of cores it was measured at, at least 2
     * @return the experimentally determined serial fraction
     * @throws IllegalArgumentException if {@code speedup} is not positive or {@code n < 2}
     */
    public static double karpFlatt(double speedup, int n) {
        if (!(speedup > 0)) {
            throw new IllegalArgumentException("speedup must be more than 0, got " + speedup);
        }
        if (n < 2) {
            throw new IllegalArgumentException("the Karp-Flatt metric needs n >= 2, got " + n);
        }
        return (1 / speedup - 1.0 / n) / (1 - 1.0 / n);
    }

    private static void checkCores(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of cores must be at least 1, got " + n);
        }
    }
}
