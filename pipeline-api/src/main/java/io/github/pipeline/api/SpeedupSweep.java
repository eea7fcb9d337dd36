package io.github.pipeline.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Runs the same pipeline at several levels of parallelism over the same input and measures the
 * speedups, to compare them with what the profile predicted. Immutable: every {@code withX} returns a
 * copy.
 *
 * <pre>{@code
 * SweepResult sweep = SpeedupSweep.of(n -> Pipeline.named("work")
 *                 .from(Source.range(0, 200_000))
 *                 .map("parse", Work::parse)                              // sequential on purpose
 *                 .map("score", Work::score, StageOptions.parallel(n))    // n rails
 *                 .to(Sink.count()))
 *         .withParallelismUpTo(4)
 *         .run();
 * System.out.println(sweep.text());   // predicted (Amdahl, streaming) and measured speedups, Karp-Flatt
 * }</pre>
 *
 * <p>The factory is called anew for every run, so a source with state (a generator) starts afresh
 * each time. Each level is run {@link #withRepetitions repetitions} times, the levels taking turns so
 * that a slow moment of the machine does not fall on one level only, and the fastest run of each level
 * counts. Warm-up runs at the highest level go first, so the JIT compiler has done its work before the
 * clock starts.
 */
public final class SpeedupSweep {

    private final IntFunction<? extends Pipeline<?>> factory;
    private final int[] levels;
    private final int repetitions;
    private final int warmups;

    private SpeedupSweep(IntFunction<? extends Pipeline<?>> factory, int[] levels, int repetitions, int warmups) {
        this.factory = factory;
        this.levels = levels;
        this.repetitions = repetitions;
        this.warmups = warmups;
    }

    /**
     * Creates a sweep of the pipelines that {@code factory} makes for each parallelism {@code n}, over
     * {@code n = 1} to the number of available processors (at least 1 and 2), three repetitions each
     * after one warm-up run.
     *
     * @param factory makes the pipeline to run with parallelism {@code n}; called once per run
     * @return the sweep
     */
    public static SpeedupSweep of(IntFunction<? extends Pipeline<?>> factory) {
        Objects.requireNonNull(factory, "factory");
        int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
        return new SpeedupSweep(factory, IntStream.rangeClosed(1, cores).toArray(), 3, 1);
    }

    /**
     * Returns a copy that runs the given levels of parallelism.
     *
     * @param levels the levels, each at least 1, one of them 1 (the baseline of the speedups)
     * @return the copy
     * @throws IllegalArgumentException if a level is below 1, a level repeats, or 1 is missing
     */
    public SpeedupSweep withParallelism(int... levels) {
        int[] sorted = levels.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0 || sorted[0] != 1) {
            throw new IllegalArgumentException("the levels of parallelism must include 1, the baseline; got "
                    + Arrays.toString(levels));
        }
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("parallelism " + sorted[i] + " is given twice in "
                        + Arrays.toString(levels));
            }
        }
        return new SpeedupSweep(factory, sorted, repetitions, warmups);
    }

    /**
     * Returns a copy that runs every parallelism from 1 to {@code max}.
     *
     * @param max the highest parallelism, at least 1
     * @return the copy
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public SpeedupSweep withParallelismUpTo(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the highest parallelism must be at least 1, got " + max);
        }
        return withParallelism(IntStream.rangeClosed(1, max).toArray());
    }

    /**
     * Returns a copy that runs each level {@code repetitions} times and keeps the fastest run.
     *
     * @param repetitions runs per level, at least 1
     * @return the copy
     * @throws IllegalArgumentException if {@code repetitions} is less than 1
     */
    public SpeedupSweep withRepetitions(int repetitions) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be at least 1, got " + repetitions);
        }
        return new SpeedupSweep(factory, levels, repetitions, warmups);
    }

    /**
     * Returns a copy that makes {@code warmups} untimed runs at the highest level first.
     *
     * @param warmups untimed runs, at least 0
     * @return the copy
     * @throws IllegalArgumentException if {@code warmups} is negative
     */
    public SpeedupSweep withWarmups(int warmups) {
        if (warmups < 0) {
            throw new IllegalArgumentException("warm-up runs must be at least 0, got " + warmups);
        }
        return new SpeedupSweep(factory, levels, repetitions, warmups);
    }

    /**
     * Returns the levels of parallelism the sweep runs, in increasing order.
     *
     * @return the levels, the first of them 1
     */
    public int[] levels() {
        return levels.clone();
    }

    /**
     * Runs the sweep on the engine found on the class path.
     *
     * @return the measured and predicted speedups
     * @throws PipelineExecutionException if a run fails
     */
    public SweepResult run() {
        return run(PipelineEngine.discover());
    }

    /**
     * Runs the sweep on the given engine, one run at a time.
     *
     * @param engine the engine
     * @return the measured and predicted speedups
     * @throws PipelineExecutionException if a run fails
     */
    public SweepResult run(PipelineEngine engine) {
        Objects.requireNonNull(engine, "engine");
        int widest = levels[levels.length - 1];
        for (int i = 0; i < warmups; i++) {
            pipeline(widest).run(engine);
        }
        RunResult<?>[] best = new RunResult<?>[levels.length];
        for (int r = 0; r < repetitions; r++) {
            for (int i = 0; i < levels.length; i++) {
                RunResult<?> result = pipeline(levels[i]).run(engine);
                if (best[i] == null || result.duration().compareTo(best[i].duration()) < 0) {
                    best[i] = result;
                }
            }
        }
        RunProfile baseline = best[0].profile();
        RunProfile widestProfile = best[levels.length - 1].profile();
        SpeedupModel model = SweepResult.model(baseline, widestProfile);
        Duration t1 = best[0].duration();
        List<SweepPoint> points = new ArrayList<>();
        for (int i = 0; i < levels.length; i++) {
            int n = levels[i];
            Duration tn = best[i].duration();
            double speedup = (double) Math.max(1, t1.toNanos()) / Math.max(1, tn.toNanos());
            double karpFlatt = n == 1 ? Double.NaN : SpeedupModel.karpFlatt(speedup, n);
            points.add(new SweepPoint(n, tn, speedup, karpFlatt, model.amdahl(n), model.streaming(n)));
        }
        return new SweepResult(best[0].pipeline(), baseline, widestProfile, points);
    }

    private Pipeline<?> pipeline(int n) {
        Pipeline<?> pipeline = factory.apply(n);
        if (pipeline == null) {
            throw new NullPointerException("the sweep's pipeline factory returned null for parallelism " + n);
        }
        return pipeline;
    }
}
