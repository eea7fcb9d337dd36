package io.github.pipeline.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@linkplain PipelineBuilder#aggregate(String, java.util.function.Function, Aggregator)
 * aggregate} stage uses memory and disk, and what it does with a failing item. Immutable: every
 * {@code withX} returns a copy.
 *
 * <pre>{@code
 * AggregateOptions.defaults()                              // bound from the heap, spill to java.io.tmpdir
 * AggregateOptions.defaults().withMaxKeysInMemory(100_000) // spill a sorted run every 100,000 keys
 * AggregateOptions.defaults().withSpillDirectory(Path.of("/scratch"))
 * AggregateOptions.defaults().withErrorPolicy(ErrorPolicy.skip())
 * AggregateOptions.defaults().withoutSpilling()            // never touch the disk; memory grows with the keys
 * }</pre>
 *
 * <p>The stage holds at most {@link #maxKeysInMemory()} distinct keys (each with its accumulator) in
 * memory. When one more would exceed that, it sorts the keys it holds, writes them with their
 * accumulators to a spill file (a sorted run), forgets them and goes on. When the input ends it merges
 * the runs, at most {@link #mergeFanIn()} files open at once, and emits the results in key order.
 */
public final class AggregateOptions {

    /**
     * The share of the maximum heap that the automatic bound gives the keys in memory:
     * {@code 1 / HEAP_SHARE_DIVISOR}.
     */
    public static final int HEAP_SHARE_DIVISOR = 8;

    /**
     * The memory one key is assumed to take for the automatic bound, in bytes: measured at 121 to 127
     * bytes for a short {@code String} key with a {@code Long} count in a {@code HashMap} (entry, key,
     * its bytes, the boxed count and the table slot).
     */
    public static final int ESTIMATED_BYTES_PER_KEY = 128;

    /** The fewest keys the automatic bound allows, however small the heap. */
    public static final int MIN_AUTOMATIC_KEYS = 10_000;

    /** The default number of spill files merged at once. */
    public static final int DEFAULT_MERGE_FAN_IN = 64;

    /** The largest merge fan-in: each open run holds a read buffer. */
    public static final int MAX_MERGE_FAN_IN = 1024;

    /** {@link #maxKeys} value meaning "worked out from the heap when the run starts". */
    private static final int AUTOMATIC = 0;
    /** {@link #maxKeys} value meaning "never spill". */
    private static final int UNBOUNDED = -1;

    private static final AggregateOptions DEFAULTS =
            new AggregateOptions(AUTOMATIC, null, DEFAULT_MERGE_FAN_IN, ErrorPolicy.failFast());

    private final int maxKeys;
    private final Path spillDirectory;
    private final int mergeFanIn;
    private final ErrorPolicy errorPolicy;
    private final StageOptions stageOptions;

    private AggregateOptions(int maxKeys, Path spillDirectory, int mergeFanIn, ErrorPolicy errorPolicy) {
        this.maxKeys = maxKeys;
        this.spillDirectory = spillDirectory;
        this.mergeFanIn = mergeFanIn;
        this.errorPolicy = errorPolicy;
        this.stageOptions = StageOptions.sequential().withErrorPolicy(errorPolicy);
    }

    /**
     * The default options: a memory bound worked out from the heap (see {@link #maxKeysInMemory()}),
     * spill files in {@code java.io.tmpdir}, a merge fan-in of {@value #DEFAULT_MERGE_FAN_IN}, and a
     * failing item fails the run.
     *
     * @return the default options
     */
    public static AggregateOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a copy that holds at most {@code maxKeys} distinct keys in memory before it spills them to
     * disk as a sorted run.
     *
     * @param maxKeys the most keys in memory, at least 1
     * @return a copy with the new bound
     * @throws IllegalArgumentException if {@code maxKeys} is less than 1
     */
    public AggregateOptions withMaxKeysInMemory(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeysInMemory must be at least 1, got " + maxKeys);
        }
        return new AggregateOptions(maxKeys, spillDirectory, mergeFanIn, errorPolicy);
    }

    /**
     * Returns a copy that never spills: every distinct key stays in memory until the input ends, so
     * memory grows with the number of keys. For inputs known to have few keys, or aggregators without an
     * accumulator codec.
     *
     * @return a copy that keeps all keys in memory
     */
    public AggregateOptions withoutSpilling() {
        return new AggregateOptions(UNBOUNDED, spillDirectory, mergeFanIn, errorPolicy);
    }

    /**
     * Returns a copy that writes its spill files under {@code directory} (in a directory of their own,
     * created at the first spill and deleted when the run ends, however it ends).
     *
     * @param directory an existing, writable directory
     * @return a copy with the new spill directory
     */
    public AggregateOptions withSpillDirectory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return new AggregateOptions(maxKeys, directory, mergeFanIn, errorPolicy);
    }

    /**
     * Returns a copy that merges at most {@code fanIn} spill files at once. With more runs than that,
     * runs are first merged into fewer, larger runs, in as many passes as needed.
     *
     * @param fanIn files open at once while merging, 2 to {@value #MAX_MERGE_FAN_IN}
     * @return a copy with the new fan-in
     * @throws IllegalArgumentException if {@code fanIn} is out of range
     */
    public AggregateOptions withMergeFanIn(int fanIn) {
        if (fanIn < 2 || fanIn > MAX_MERGE_FAN_IN) {
            throw new IllegalArgumentException("mergeFanIn must be between 2 and " + MAX_MERGE_FAN_IN + ", got " + fanIn);
        }
        return new AggregateOptions(maxKeys, spillDirectory, fanIn, errorPolicy);
    }

    /**
     * Returns a copy that treats an item whose key function or {@link Aggregator#add} fails as
     * {@code errorPolicy} says: fail the run (the default), skip it, or dead-letter it. An aggregate
     * stage does not retry: an accumulator cannot tell a retried item from a new one.
     *
     * @param errorPolicy fail, skip or dead-letter, without retries
     * @return a copy with the new error policy
     * @throws IllegalArgumentException if the policy retries
     */
    public AggregateOptions withErrorPolicy(ErrorPolicy errorPolicy) {
        Objects.requireNonNull(errorPolicy, "errorPolicy");
        if (errorPolicy.retry().isPresent()) {
            throw new IllegalArgumentException("an aggregate stage does not retry items, got " + errorPolicy.describe());
        }
        return new AggregateOptions(maxKeys, spillDirectory, mergeFanIn, errorPolicy);
    }

    /**
     * Returns the most distinct keys the stage holds in memory: the value of
     * {@link #withMaxKeysInMemory}, or by default one {@value #HEAP_SHARE_DIVISOR}th of the maximum heap
     * at {@value #ESTIMATED_BYTES_PER_KEY} bytes a key, and at least {@value #MIN_AUTOMATIC_KEYS}
     * (about 65,000 keys in a 64 MB heap, about 4 million in 4 GB). Large keys or accumulators take more memory than
     * the estimate: give such stages a smaller bound.
     *
     * @return the bound, or {@link Integer#MAX_VALUE} when the stage never spills
     */
    public int maxKeysInMemory() {
        if (maxKeys == UNBOUNDED) {
            return Integer.MAX_VALUE;
        }
        if (maxKeys == AUTOMATIC) {
            long fromHeap = Runtime.getRuntime().maxMemory() / HEAP_SHARE_DIVISOR / ESTIMATED_BYTES_PER_KEY;
            return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(MIN_AUTOMATIC_KEYS, fromHeap));
        }
        return maxKeys;
    }

    /**
     * Returns whether the bound is worked out from the heap.
     *
     * @return {@code true} unless {@link #withMaxKeysInMemory} or {@link #withoutSpilling} was used
     */
    public boolean isMaxKeysInMemoryAutomatic() {
        return maxKeys == AUTOMATIC;
    }

    /**
     * Returns whether the stage spills to disk when it holds too many keys.
     *
     * @return {@code false} after {@link #withoutSpilling()}
     */
    public boolean spills() {
        return maxKeys != UNBOUNDED;
    }

    /**
     * Returns the directory under which spill files go.
     *
     * @return the directory, or empty for {@code java.io.tmpdir}
     */
    public Optional<Path> spillDirectory() {
        return Optional.ofNullable(spillDirectory);
    }

    /**
     * Returns the most spill files merged at once.
     *
     * @return the fan-in
     */
    public int mergeFanIn() {
        return mergeFanIn;
    }

    /**
     * Returns what the stage does with an item whose key function or aggregator fails.
     *
     * @return the error policy
     */
    public ErrorPolicy errorPolicy() {
        return errorPolicy;
    }

    /**
     * Returns the stage options of an aggregate stage with these options: sequential, with the error
     * policy.
     *
     * @return the stage options
     */
    public StageOptions stageOptions() {
        return stageOptions;
    }

    /**
     * Describes the options in one line, as {@link Pipeline#describe()} prints them.
     *
     * @return for example {@code "max-keys=65536(auto) spill-to=tmpdir fan-in=64"}
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (!spills()) {
            sb.append("in-memory (no spilling)");
        } else {
            sb.append("max-keys=").append(maxKeysInMemory()).append(isMaxKeysInMemoryAutomatic() ? "(auto)" : "")
                    .append(" spill-to=").append(spillDirectory == null ? "tmpdir" : spillDirectory.toString())
                    .append(" fan-in=").append(mergeFanIn);
        }
        if (errorPolicy != ErrorPolicy.failFast()) {
            sb.append(" on-error=").append(errorPolicy.describe());
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AggregateOptions that
                && maxKeys == that.maxKeys
                && Objects.equals(spillDirectory, that.spillDirectory)
                && mergeFanIn == that.mergeFanIn
                && errorPolicy.equals(that.errorPolicy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxKeys, spillDirectory, mergeFanIn, errorPolicy);
    }

    @Override
    public String toString() {
        return "AggregateOptions[" + describe() + "]";
    }
}
