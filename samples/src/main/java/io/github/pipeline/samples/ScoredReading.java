package io.github.pipeline.samples;

import java.util.Objects;

/**
 * A reading with its anomaly score.
 *
 * @param reading the reading
 * @param pValue  the probability that a healthy sensor reads a value at least this far from its nominal
 *                value: the smaller, the more suspect
 */
public record ScoredReading(Reading reading, double pValue) {

    /** Readings with a {@link #pValue()} below this are anomalies (beyond about 3.3 standard deviations). */
    public static final double ANOMALY_THRESHOLD = 0.001;

    /** Steps of Simpson's rule in {@link #tailProbability}: the CPU work done per reading. */
    private static final int STEPS = 400;

    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);

    /**
     * Creates a scored reading.
     *
     * @param reading the reading
     * @param pValue  its anomaly score
     */
    public ScoredReading {
        Objects.requireNonNull(reading, "reading");
    }

    /**
     * Scores a reading against its sensor's nominal value and spread. This is the CPU-bound work of the
     * demo: a few microseconds of arithmetic per reading.
     *
     * @param reading the reading
     * @return the reading with its score
     */
    public static ScoredReading score(Reading reading) {
        double z = (reading.celsius() - SensorFeed.nominal(reading.sensor())) / SensorFeed.SPREAD;
        return new ScoredReading(reading, tailProbability(z));
    }

    /**
     * The two-sided tail probability of the standard normal distribution, {@code P(|Z| >= |z|)},
     * computed by integrating the density from 0 to {@code |z|} with Simpson's rule.
     *
     * @param z the standard score
     * @return the probability, from 0 to 1
     */
    public static double tailProbability(double z) {
        double a = Math.min(Math.abs(z), 10.0);
        double h = a / STEPS;
        double sum = density(0) + density(a);
        for (int i = 1; i < STEPS; i++) {
            sum += (i % 2 == 0 ? 2 : 4) * density(i * h);
        }
        double central = sum * h / 3;   // P(0 <= Z <= a)
        return Math.max(0.0, 1.0 - 2.0 * central);
    }

    private static double density(double t) {
        return INV_SQRT_2PI * Math.exp(-0.5 * t * t);
    }

    /**
     * Returns whether the reading is an anomaly.
     *
     * @return {@code true} if its score is below {@link #ANOMALY_THRESHOLD}
     */
    public boolean anomalous() {
        return pValue < ANOMALY_THRESHOLD;
    }
}
