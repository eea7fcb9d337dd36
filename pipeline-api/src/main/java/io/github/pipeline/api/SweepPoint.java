package io.github.pipeline.api;

import java.time.Duration;

/**
 * One level of a {@link SpeedupSweep}: the fastest run at that parallelism, its speedup over the run
 * at parallelism 1, and what the models predicted.
 *
 * @param parallelism the parallelism {@code n} the pipeline was built with
 * @param duration    the fastest run's wall-clock time
 * @param speedup     the measured speedup {@code S(n) = T(1) / T(n)}
 * @param karpFlatt   the Karp-Flatt serial fraction {@code e(n) = (1/S - 1/n) / (1 - 1/n)}; NaN for {@code n = 1}
 * @param amdahl      the speedup Amdahl's law predicted from the profile at parallelism 1
 * @param streaming   the streaming bound predicted from the same profile
 */
public record SweepPoint(int parallelism, Duration duration, double speedup, double karpFlatt, double amdahl,
                         double streaming) {
}
