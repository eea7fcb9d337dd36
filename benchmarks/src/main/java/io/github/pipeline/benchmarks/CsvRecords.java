package io.github.pipeline.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The realistic workload's data and steps: CSV-like lines made in memory
 * ({@code sensor-0042,1767225600123,23.75}), parsed into readings, scored by the CPU-heavy function,
 * and summed per key. Deterministic: a seed always gives the same lines and so the same sums.
 */
final class CsvRecords {

    /** A parsed line. */
    record Reading(String key, long stamp, double value) {
    }

    /** A reading's key and its score. */
    record Scored(String key, long score) {
    }

    private CsvRecords() {
    }

    /**
     * Makes {@code count} lines spread over {@code keys} keys.
     *
     * @param count how many lines
     * @param keys  how many distinct keys
     * @param seed  the seed: equal seeds give equal lines
     * @return the lines
     */
    static List<String> lines(int count, int keys, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>(count);
        long stamp = 1_767_225_600_000L;
        for (int i = 0; i < count; i++) {
            stamp += random.nextInt(1, 1000);
            lines.add(String.format(Locale.ROOT, "sensor-%04d,%d,%.2f",
                    random.nextInt(keys), stamp, random.nextDouble(-40.0, 60.0)));
        }
        return lines;
    }

    /**
     * Parses a line made by {@link #lines}.
     *
     * @param line the line
     * @return its reading
     * @throws IllegalArgumentException if the line does not have three comma-separated fields
     */
    static Reading parse(String line) {
        int first = line.indexOf(',');
        int second = first < 0 ? -1 : line.indexOf(',', first + 1);
        if (second < 0) {
            throw new IllegalArgumentException("expected key,stamp,value but got: " + line);
        }
        return new Reading(line.substring(0, first), Long.parseLong(line, first + 1, second, 10),
                Double.parseDouble(line.substring(second + 1)));
    }

    /**
     * Scores a reading with the CPU-heavy function.
     *
     * @param reading the reading
     * @return its key and score
     */
    static Scored score(Reading reading) {
        return new Scored(reading.key(), Workloads.heavy(reading.stamp() ^ Double.doubleToLongBits(reading.value())));
    }

    /**
     * Adds a score to its key's sum, in place.
     *
     * @param sums   the sums per key so far
     * @param scored the score to add
     * @return {@code sums}
     */
    static Map<String, Long> add(Map<String, Long> sums, Scored scored) {
        sums.merge(scored.key(), scored.score(), Long::sum);
        return sums;
    }
}
