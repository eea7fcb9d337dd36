package io.github.pipeline.samples;

import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Makes the demo's input: CSV lines such as {@code sensor-17,2026-01-01T00:00:00Z,23.5}, one reading a
 * second from one of {@value #SENSORS} sensors, from a seeded {@link Random} so that a seed always gives
 * the same lines. About 0.5% of the lines have the value {@code n/a} (the sensor was offline) and about
 * 0.2% are spikes far above the sensor's nominal value.
 *
 * <p>Not thread-safe: a {@link io.github.pipeline.api.Source#generate generate} source calls it from one
 * thread at a time, which is all it needs.
 */
public final class SensorFeed implements Supplier<String> {

    /** How many sensors report. */
    public static final int SENSORS = 20;

    /** The time of the first reading. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** The standard deviation of a healthy sensor's readings around its nominal value, in °C. */
    public static final double SPREAD = 2.0;

    /** The value of a reading taken while the sensor was offline. */
    public static final String MISSING = "n/a";

    private final Random random;
    private long index;

    /**
     * Creates a feed.
     *
     * @param seed the seed: equal seeds give equal lines
     */
    public SensorFeed(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Returns the name of a sensor.
     *
     * @param number the sensor's number, from 0 to {@value #SENSORS} - 1
     * @return for example {@code sensor-07}
     */
    public static String sensorName(int number) {
        return String.format(Locale.ROOT, "sensor-%02d", number);
    }

    /**
     * Returns the value a sensor reads on average, in °C.
     *
     * @param sensor the sensor's name, as {@link #sensorName} makes it
     * @return its nominal value
     */
    public static double nominal(String sensor) {
        int number = Integer.parseInt(sensor.substring(sensor.lastIndexOf('-') + 1));
        return 18.0 + (number % 5) * 1.5;
    }

    /**
     * Makes the next line.
     *
     * @return a line {@code sensor,time,celsius}
     */
    @Override
    public String get() {
        String sensor = sensorName(random.nextInt(SENSORS));
        Instant time = START.plusSeconds(index++);
        double draw = random.nextDouble();
        String value;
        if (draw < 0.005) {
            value = MISSING;
        } else {
            double spike = draw < 0.007 ? 15.0 : 0.0;
            double celsius = nominal(sensor) + SPREAD * random.nextGaussian() + spike;
            value = String.format(Locale.ROOT, "%.1f", celsius);
        }
        return sensor + "," + time + "," + value;
    }
}
