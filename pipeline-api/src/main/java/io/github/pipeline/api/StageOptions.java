package io.github.pipeline.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a stage runs: its parallelism, the kind of work it does, whether it keeps source order, the
 * size of the buffers between its threads, and what it does with a failing item. Immutable: every {@code withX} returns a copy.
 *
 * <pre>{@code
 * StageOptions.sequential()                      // one item at a time, in order (the default)
 * StageOptions.parallel()                        // one rail per core, CPU-bound, unordered
 * StageOptions.parallel(4).withOrdered(true)     // four rails, results in source order
 * StageOptions.blocking(64)                      // 64 concurrent blocking calls on their own threads
 * }</pre>
 *
 * <p>Parallel stages run as rails: each rail takes items from a bounded queue and applies the
 * function on its own thread; consecutive parallel stages with the same parallelism, executor, order,
 * prefetch and chunking share the rails. Memory stays bounded: each rail buffers at most
 * {@link #prefetch()} items; a chunked stage buffers at most {@code max(8, prefetch / maxChunk)}
 * chunks per buffer (see {@link Chunking}).
 */
public final class StageOptions {

    /** The default number of items each rail or buffer holds. */
    public static final int DEFAULT_PREFETCH = 256;

    /** Parallelism value meaning "the number of available processors, read when the run starts". */
    private static final int AVAILABLE_PROCESSORS = 0;

    private static final StageOptions SEQUENTIAL =
            new StageOptions(1, ExecutorKind.CPU_BOUND, true, DEFAULT_PREFETCH, ErrorPolicy.failFast(), null, null, null);

    private final int parallelism;
    private final ExecutorKind executor;
    private final boolean ordered;
    private final int prefetch;
    private final ErrorPolicy errorPolicy;
    private final Duration timeout;
    /** The chunking asked for, or {@code null} for the default of the executor kind. */
    private final Chunking chunking;
    /** The key whose items keep their order, or {@code null}. */
    private final Function<Object, ?> orderKey;

    private StageOptions(int parallelism, ExecutorKind executor, boolean ordered, int prefetch, ErrorPolicy errorPolicy,
                         Duration timeout, Chunking chunking, Function<Object, ?> orderKey) {
        this.parallelism = parallelism;
        this.executor = executor;
        this.ordered = ordered;
        this.prefetch = prefetch;
        this.errorPolicy = errorPolicy;
        this.timeout = timeout;
        this.chunking = chunking;
        this.orderKey = orderKey;
    }

    /**
     * Options for a stage that runs one item at a time, in order, on the thread that delivers the
     * items. This is what a stage gets when no options are given.
     *
     * @return sequential options
     */
    public static StageOptions sequential() {
        return SEQUENTIAL;
    }

    /**
     * Options for a CPU-bound parallel stage with one rail per available processor (counted when the
     * run starts), unordered.
     *
     * @return parallel options
     */
    public static StageOptions parallel() {
        return new StageOptions(AVAILABLE_PROCESSORS, ExecutorKind.CPU_BOUND, false, DEFAULT_PREFETCH, ErrorPolicy.failFast(),
                null, null, null);
    }

    /**
     * Options for a CPU-bound parallel stage with {@code parallelism} rails, unordered.
     *
     * @param parallelism the number of rails, at least 1
     * @return parallel options
     */
    public static StageOptions parallel(int parallelism) {
        return parallel().withParallelism(parallelism);
    }

    /**
     * Options for a blocking stage that makes up to {@code concurrency} calls at once, each on a thread
     * of its own that the engine creates for the run and disposes after it, unordered.
     *
     * @param concurrency the number of concurrent calls, at least 1
     * @return blocking options
     */
    public static StageOptions blocking(int concurrency) {
        return parallel(concurrency).withExecutor(ExecutorKind.BLOCKING);
    }

    /**
     * Options for a blocking stage that makes up to {@code concurrency} calls at once, each on a virtual
     * thread of its own (Java 21 or later), unordered.
     *
     * @param concurrency the number of concurrent calls, at least 1
     * @return virtual-thread options
     * @throws UnsupportedOperationException on Java 20 or earlier, which has no virtual threads
     */
    public static StageOptions virtualThreads(int concurrency) {
        return parallel(concurrency).withExecutor(ExecutorKind.VIRTUAL_THREADS);
    }

    /**
     * Returns a copy with the given parallelism; 1 runs the stage sequentially.
     *
     * @param parallelism the number of rails (or concurrent calls for a blocking stage), at least 1
     * @return a copy with the new parallelism
     * @throws IllegalArgumentException if {@code parallelism} is less than 1
     */
    public StageOptions withParallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        return new StageOptions(parallelism, executor, ordered, prefetch, errorPolicy, timeout, chunking, orderKey);
    }

    /**
     * Returns a copy that runs on the threads for the given kind of work.
     *
     * @param executor CPU-bound, blocking, or blocking on virtual threads
     * @return a copy with the new executor kind
     * @throws UnsupportedOperationException for virtual threads on Java 20 or earlier
     */
    public StageOptions withExecutor(ExecutorKind executor) {
        if (executor == ExecutorKind.VIRTUAL_THREADS && Runtime.version().feature() < 21) {
            throw new UnsupportedOperationException("virtual threads need Java 21 or later; this is Java "
                    + Runtime.version().feature() + ": use StageOptions.blocking(n)");
        }
        Objects.requireNonNull(executor, "executor");
        return new StageOptions(parallelism, executor, ordered, prefetch, errorPolicy, timeout, chunking, orderKey);
    }

    /**
     * Returns a copy that keeps (or gives up) source order. An ordered parallel stage restores source
     * order with a bounded window: a slow item holds the others back rather than letting memory grow.
     *
     * @param ordered {@code true} to emit results in source order
     * @return a copy with the new ordering
     */
    public StageOptions withOrdered(boolean ordered) {
        return new StageOptions(parallelism, executor, ordered, prefetch, errorPolicy, timeout, chunking, orderKey);
    }

    /**
     * Returns a copy with the given buffer size: the number of items each rail (or the hand-off to the
     * stage) requests ahead and holds at most.
     *
     * @param prefetch items per buffer, 1 to 1,048,576
     * @return a copy with the new buffer size
     * @throws IllegalArgumentException if {@code prefetch} is out of range
     */
    public StageOptions withPrefetch(int prefetch) {
        if (prefetch < 1 || prefetch > (1 << 20)) {
            throw new IllegalArgumentException("prefetch must be between 1 and 1048576, got " + prefetch);
        }
        return new StageOptions(parallelism, executor, ordered, prefetch, errorPolicy, timeout, chunking, orderKey);
    }

    /**
     * Returns a copy that treats a failing item as {@code errorPolicy} says: fail the run (the
     * default), skip it, dead-letter it, retrying it first or not.
     *
     * @param errorPolicy the policy
     * @return a copy with the new error policy
     */
    public StageOptions withErrorPolicy(ErrorPolicy errorPolicy) {
        Objects.requireNonNull(errorPolicy, "errorPolicy");
        return new StageOptions(parallelism, executor, ordered, prefetch, errorPolicy, timeout, chunking, orderKey);
    }

    /**
     * Returns a copy in which a call of the function that takes longer than {@code timeout} on one item
     * fails with a {@link java.util.concurrent.TimeoutException}, handled by the stage's error policy
     * (which can retry it). The calling thread is interrupted, which ends a blocking call (I/O, sleep,
     * lock); a computation that ignores interrupts runs on, and its late result is discarded.
     *
     * @param timeout the longest a call may take, more than zero
     * @return a copy with the new timeout
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public StageOptions withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be more than zero, got " + timeout);
        }
        return new StageOptions(parallelism, executor, ordered, prefetch, errorPolicy, timeout, chunking, orderKey);
    }

    /**
     * Returns a copy that hands items to the rails as {@code chunking} says. CPU-bound parallel stages
     * chunk automatically unless told otherwise; blocking stages move one item at a time (each item is
     * a call worth a thread of its own).
     *
     * @param chunking off, a fixed size, or automatic
     * @return a copy with the new chunking
     */
    public StageOptions withChunking(Chunking chunking) {
        Objects.requireNonNull(chunking, "chunking");
        return new StageOptions(parallelism, executor, ordered, prefetch, errorPolicy, timeout, chunking, orderKey);
    }

    /**
     * Returns a copy that hands items to the rails in chunks of {@code size}; a shortcut for
     * {@code withChunking(Chunking.ofSize(size))}.
     *
     * @param size items per chunk, 1 (no chunking) to 1,048,576
     * @return a copy with fixed-size chunks
     * @throws IllegalArgumentException if {@code size} is out of range
     */
    public StageOptions withChunkSize(int size) {
        return withChunking(Chunking.ofSize(size));
    }

    /**
     * Returns the longest a call of the function may take on one item.
     *
     * @return the timeout, or empty if calls are not timed
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * Returns how the stage hands items to its rails: what {@link #withChunking} set, or by default
     * automatic chunking for a CPU-bound parallel stage and none otherwise.
     *
     * @return the chunking
     */
    public Chunking chunking() {
        if (chunking != null) {
            return chunking;
        }
        return executor == ExecutorKind.CPU_BOUND && parallelism != 1 ? Chunking.auto() : Chunking.off();
    }

    /**
     * Returns a copy that keeps the order of items with the same key while items of different keys run in
     * parallel (the model of Confluent's parallel consumer): each item goes to the rail its key hashes to,
     * and a rail takes its items one at a time, in the order they came. For a Kafka topic,
     * {@code StageOptions.parallel(8).<KafkaRecord<String, String>>withOrderPerKey(KafkaRecord::key)}: the
     * records of one key are processed in partition order, while a slow key holds up only the keys that
     * share its rail. Not chunked, and not with {@link #withOrdered(boolean) withOrdered(true)}, which keeps
     * the order of all items. Consecutive stages share such rails when they have the same options (the same
     * key function object).
     *
     * @param key the key of an item (any object with {@code hashCode}; {@code null} is a key too)
     * @param <T> the type of the items
     * @return the copy
     */
    @SuppressWarnings("unchecked")
    public <T> StageOptions withOrderPerKey(Function<? super T, ?> key) {
        Objects.requireNonNull(key, "key");
        return new StageOptions(parallelism, executor, ordered, prefetch, errorPolicy, timeout, chunking,
                (Function<Object, ?>) key);
    }

    /**
     * Returns the key whose items keep their order.
     *
     * @return the key function, or empty when the stage keeps no order per key
     */
    public Optional<Function<Object, ?>> orderKey() {
        return Optional.ofNullable(orderKey);
    }

    /**
     * Returns what the stage does with an item whose function fails.
     *
     * @return the error policy
     */
    public ErrorPolicy errorPolicy() {
        return errorPolicy;
    }

    /**
     * Returns the parallelism the stage runs with: the configured value, or the number of available
     * processors when the options came from {@link #parallel()} without an explicit value.
     *
     * @return the number of rails, at least 1
     */
    public int parallelism() {
        return parallelism == AVAILABLE_PROCESSORS ? Runtime.getRuntime().availableProcessors() : parallelism;
    }

    /**
     * Returns whether the parallelism follows the number of available processors.
     *
     * @return {@code true} if no explicit parallelism was set on parallel options
     */
    public boolean isParallelismAutomatic() {
        return parallelism == AVAILABLE_PROCESSORS;
    }

    /**
     * Returns whether the stage runs on more than one thread.
     *
     * @return {@code true} if {@link #parallelism()} is greater than 1
     */
    public boolean isParallel() {
        return parallelism() > 1;
    }

    /**
     * Returns the kind of work the stage does.
     *
     * @return the executor kind
     */
    public ExecutorKind executor() {
        return executor;
    }

    /**
     * Returns whether the stage emits results in source order.
     *
     * @return {@code true} if ordered
     */
    public boolean ordered() {
        return ordered;
    }

    /**
     * Returns the number of items each buffer of the stage holds at most.
     *
     * @return the buffer size
     */
    public int prefetch() {
        return prefetch;
    }

    /**
     * Describes the options in one line, as {@link Pipeline#describe()} prints them.
     *
     * @return for example {@code "parallel=4 cpu-bound unordered prefetch=256"}
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (parallelism == 1) {
            sb.append("sequential");
        } else {
            sb.append("parallel=").append(isParallelismAutomatic() ? "cores(" + parallelism() + ")" : parallelism)
                    .append(switch (executor) {
                        case CPU_BOUND -> " cpu-bound";
                        case BLOCKING -> " blocking";
                        case VIRTUAL_THREADS -> " virtual-threads";
                    })
                    .append(orderKey != null ? " ordered-per-key" : ordered ? " ordered" : " unordered");
        }
        sb.append(" prefetch=").append(prefetch);
        if (timeout != null) {
            sb.append(" timeout=").append(timeout.toMillis()).append("ms");
        }
        if (parallelism != 1 && orderKey == null) {
            sb.append(' ').append(chunking().describe());
        }
        if (errorPolicy != ErrorPolicy.failFast()) {
            sb.append(" on-error=").append(errorPolicy.describe());
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageOptions that
                && parallelism == that.parallelism
                && executor == that.executor
                && ordered == that.ordered
                && prefetch == that.prefetch
                && errorPolicy.equals(that.errorPolicy)
                && Objects.equals(timeout, that.timeout)
                && Objects.equals(chunking, that.chunking)
                && Objects.equals(orderKey, that.orderKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(parallelism, executor, ordered, prefetch, errorPolicy, timeout, chunking, orderKey);
    }

    @Override
    public String toString() {
        return "StageOptions[" + describe() + "]";
    }
}
