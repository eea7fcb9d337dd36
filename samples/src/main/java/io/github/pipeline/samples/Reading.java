package io.github.pipeline.samples;

import java.time.Instant;
import java.util.Objects;

/**
 * One parsed line of the demo's input.
 *
 * @param sensor  the sensor's name
 * @param time    when the reading was taken
 * @param celsius the value read, in °C
 */
public record Reading(String sensor, Instant time, double celsius) {

    /**
     * Creates a reading.
     *
     * @param sensor  the sensor's name
     * @param time    when the reading was taken
     * @param celsius the value read, in °C
     */
    public Reading {
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(time, "time");
    }

    /**
     * Parses a line {@code sensor,time,celsius}, such as {@code sensor-17,2026-01-01T00:00:00Z,23.5}.
     *
     * @param line the line
     * @return the reading
     * @throws IllegalArgumentException if the line is malformed (a run fails, naming the line)
     */
    public static Reading parse(String line) {
        String[] fields = line.split(",", -1);
        if (fields.length != 3) {
            throw new IllegalArgumentException("expected 'sensor,time,celsius', got '" + line + "'");
        }
        return new Reading(fields[0], Instant.parse(fields[1]), Double.parseDouble(fields[2]));
    }
}
