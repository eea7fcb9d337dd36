package io.github.pipeline.api;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The pool-style convenience for small in-memory jobs, for people who know Python's
 * {@code multiprocessing.Pool} or R's {@code mclapply}: give it a collection and a function, get the
 * results back in input order. Each call runs a pipeline (an ordered parallel map into a list) on the
 * engine, so errors name the item and the threads are released when the call returns.
 *
 * <pre>{@code
 * Pool pool = Pool.create();                                          // one rail per core
 * List<Long> cubes = pool.map(List.of(1L, 2L, 3L), x -> x * x * x);  // [1, 8, 27]
 * List<Long> products = pool.starmap(Pair.zip(a, b), (x, y) -> x * y);
 * Execution<List<Long>> later = pool.mapAsync(inputs, f);           // like map_async
 * }</pre>
 *
 * <p>For inputs larger than memory, build a {@link Pipeline} with a streaming source and sink instead.
 */
public final class Pool {

    private final StageOptions options;
    private final PipelineEngine engine;

    private Pool(StageOptions options, PipelineEngine engine) {
        this.options = options;
        this.engine = engine;
    }

    /**
     * A pool with one rail per available processor, on the engine found on the class path.
     *
     * @return the pool
     */
    public static Pool create() {
        return new Pool(StageOptions.parallel().withOrdered(true), null);
    }

    /**
     * A pool with {@code parallelism} rails for CPU-bound functions.
     *
     * @param parallelism the number of rails, at least 1
     * @return the pool
     */
    public static Pool create(int parallelism) {
        return new Pool(StageOptions.parallel(parallelism).withOrdered(true), null);
    }

    /**
     * Returns a copy that runs the function as a blocking call on threads of its own (for I/O).
     *
     * @return the blocking pool
     */
    public Pool blocking() {
        return new Pool(options.withExecutor(ExecutorKind.BLOCKING), engine);
    }

    /**
     * Returns a copy that runs on the given engine.
     *
     * @param engine the engine
     * @return the pool
     */
    public Pool withEngine(PipelineEngine engine) {
        return new Pool(options, Objects.requireNonNull(engine, "engine"));
    }

    /**
     * Applies {@code function} to every item in parallel and returns the results in input order:
     * Python's {@code pool.map(f, items)}.
     *
     * @param items    the inputs
     * @param function the function, thread-safe, never returning {@code null}
     * @param <T>      the type of the inputs
     * @param <R>      the type of the results
     * @return the results, in input order
     * @throws PipelineExecutionException if the function fails on an item (named in the message)
     */
    public <T, R> List<R> map(Collection<? extends T> items, Function<? super T, ? extends R> function) {
        return this.<T, R>mapAsync(items, function).result();
    }

    /**
     * Applies a two-argument function to every pair in parallel: Python's
     * {@code pool.starmap(f, zip(a, b))}. Make the pairs with {@link Pair#zip}.
     *
     * @param pairs    the argument pairs
     * @param function the function
     * @param <A>      the type of the first arguments
     * @param <B>      the type of the second arguments
     * @param <R>      the type of the results
     * @return the results, in input order
     */
    public <A, B, R> List<R> starmap(Collection<? extends Pair<A, B>> pairs,
                                     BiFunction<? super A, ? super B, ? extends R> function) {
        return this.<A, B, R>starmapAsync(pairs, function).result();
    }

    /**
     * Starts applying {@code function} to every item and returns at once: Python's {@code map_async}.
     *
     * @param items    the inputs
     * @param function the function
     * @param <T>      the type of the inputs
     * @param <R>      the type of the results
     * @return the handle of the run; its value is the results in input order
     */
    public <T, R> Execution<List<R>> mapAsync(Collection<? extends T> items, Function<? super T, ? extends R> function) {
        Objects.requireNonNull(function, "function");
        Pipeline<List<R>> pipeline = Pipeline.named("pool-map")
                .from(Source.<T>fromIterable(List.copyOf(items)))
                .<R>map("function", function, options)
                .to(Sink.toList(Math.max(items.size(), Sink.DEFAULT_MAX_LIST_SIZE)));
        return engine == null ? pipeline.start() : pipeline.start(engine);
    }

    /**
     * Starts applying a two-argument function to every pair and returns at once: Python's
     * {@code starmap_async}.
     *
     * @param pairs    the argument pairs
     * @param function the function
     * @param <A>      the type of the first arguments
     * @param <B>      the type of the second arguments
     * @param <R>      the type of the results
     * @return the handle of the run; its value is the results in input order
     */
    public <A, B, R> Execution<List<R>> starmapAsync(Collection<? extends Pair<A, B>> pairs,
                                                     BiFunction<? super A, ? super B, ? extends R> function) {
        return mapAsync(pairs, Pair.function(function));
    }
}
