package io.github.pipeline.samples;

import java.time.Instant;

/**
 * What the demo knows of one sensor at the end: how many readings, their mean, minimum and maximum,
 * how many were anomalies and when the last one was taken. Immutable; combine two with {@link #plus}.
 *
 * @param readings  the number of readings
 * @param sum       the sum of their values, in °C
 * @param min       the smallest value
 * @param max       the largest value
 * @param anomalies the number of anomalous readings
 * @param lastSeen  the time of the latest reading
 */
public record SensorStats(long readings, double sum, double min, double max, long anomalies, Instant lastSeen) {

    /**
     * The statistics of one scored reading.
     *
     * @param scored the reading
     * @return statistics of one reading
     */
    public static SensorStats of(ScoredReading scored) {
        Reading r = scored.reading();
        return new SensorStats(1, r.celsius(), r.celsius(), r.celsius(), scored.anomalous() ? 1 : 0, r.time());
    }

    /**
     * Combines these statistics with others.
     *
     * @param other the other statistics
     * @return the statistics of both sets of readings
     */
    public SensorStats plus(SensorStats other) {
        return new SensorStats(readings + other.readings, sum + other.sum, Math.min(min, other.min),
                Math.max(max, other.max), anomalies + other.anomalies,
                lastSeen.isAfter(other.lastSeen) ? lastSeen : other.lastSeen);
    }

    /**
     * Returns the mean value.
     *
     * @return the mean, in °C
     */
    public double mean() {
        return sum / readings;
    }
}
