package io.github.pipeline.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a parallel stage hands items to its rails: one at a time, or in chunks. Handing an item to
 * another thread costs about a microsecond; for a function that takes nanoseconds that cost is
 * everything, so cheap stages move their items in chunks, as {@code Pool.map}'s {@code chunksize}
 * does. Immutable.
 *
 * <pre>{@code
 * Chunking.auto()        // the default for CPU-bound parallel stages: the engine picks the size
 * Chunking.ofSize(1000)  // always chunks of (up to) 1000 items
 * Chunking.off()         // one item per hand-off (the default for blocking stages)
 * }</pre>
 *
 * <p>In automatic mode the engine measures the time the stage's functions take per item and sizes
 * chunks to hold about {@link #target()} of work (1 ms by default: a chunk's trip through the rails costs
 * several microseconds of parking and waking, which chunks of 200 us still felt, by 10-20% on a 2-core
 * machine; see docs/benchmarks.md), between 1 and {@link #maxSize()} items, and
 * keeps adapting as the cost changes. A chunk is also closed early when its first item has waited
 * {@link #maxLatency()}, checked as items arrive, so a slow source does not hold items back for long.
 *
 * <p>Chunks apply to map, filter and peek stages without retries; a rail segment holding any other
 * stage (a flatMap, or a stage that retries) moves its items one at a time.
 */
public final class Chunking {

    /** The largest chunk automatic mode makes unless told otherwise. */
    public static final int DEFAULT_MAX_SIZE = 1024;
    /** The work automatic mode aims to put in one chunk. */
    public static final Duration DEFAULT_TARGET = Duration.ofMillis(1);
    /** How long the first item of a chunk waits for the chunk to fill, at most (checked as items arrive). */
    public static final Duration DEFAULT_MAX_LATENCY = Duration.ofMillis(5);

    private static final Chunking OFF = new Chunking(Mode.OFF, 1, DEFAULT_TARGET, DEFAULT_MAX_LATENCY);
    private static final Chunking AUTO = new Chunking(Mode.AUTO, DEFAULT_MAX_SIZE, DEFAULT_TARGET, DEFAULT_MAX_LATENCY);

    /** The kinds of chunking. */
    public enum Mode {
        /** One item per hand-off. */
        OFF,
        /** Chunks of a fixed size. */
        FIXED,
        /** Chunks sized from the measured cost per item. */
        AUTO
    }

    private final Mode mode;
    private final int maxSize;
    private final Duration target;
    private final Duration maxLatency;

    private Chunking(Mode mode, int maxSize, Duration target, Duration maxLatency) {
        this.mode = mode;
        this.maxSize = maxSize;
        this.target = target;
        this.maxLatency = maxLatency;
    }

    /**
     * One item per hand-off.
     *
     * @return no chunking
     */
    public static Chunking off() {
        return OFF;
    }

    /**
     * Chunks sized by the engine from the measured cost per item, up to {@value #DEFAULT_MAX_SIZE} items.
     *
     * @return automatic chunking
     */
    public static Chunking auto() {
        return AUTO;
    }

    /**
     * Chunks of {@code size} items (fewer at the end of the input, or when a slow source makes the first
     * item of a chunk wait longer than {@link #maxLatency()}).
     *
     * @param size items per chunk, 1 to 1,048,576; 1 means no chunking
     * @return fixed-size chunking
     * @throws IllegalArgumentException if {@code size} is out of range
     */
    public static Chunking ofSize(int size) {
        checkSize(size);
        return size == 1 ? OFF : new Chunking(Mode.FIXED, size, DEFAULT_TARGET, DEFAULT_MAX_LATENCY);
    }

    /**
     * Returns a copy of automatic chunking with another largest chunk. Larger chunks cost less per
     * item but hold more items in flight (see {@code StageOptions} on memory).
     *
     * @param maxSize the largest chunk, 1 to 1,048,576
     * @return a copy with the new bound
     * @throws IllegalArgumentException if {@code maxSize} is out of range, or this is not automatic
     */
    public Chunking withMaxSize(int maxSize) {
        checkSize(maxSize);
        if (mode != Mode.AUTO) {
            throw new IllegalArgumentException("only automatic chunking has a maximum size; use Chunking.ofSize(n)");
        }
        return new Chunking(mode, maxSize, target, maxLatency);
    }

    /**
     * Returns a copy of automatic chunking that aims at another amount of work per chunk.
     *
     * @param target the work per chunk, from 1 microsecond to 1 second
     * @return a copy with the new target
     * @throws IllegalArgumentException if {@code target} is out of range, or this is not automatic
     */
    public Chunking withTarget(Duration target) {
        Objects.requireNonNull(target, "target");
        if (target.compareTo(Duration.ofNanos(1_000)) < 0 || target.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("target must be between 1us and 1s, got " + target);
        }
        if (mode != Mode.AUTO) {
            throw new IllegalArgumentException("only automatic chunking has a target; use Chunking.auto()");
        }
        return new Chunking(mode, maxSize, target, maxLatency);
    }

    /**
     * Returns a copy whose chunks are closed once their first item has waited {@code maxLatency} for
     * the chunk to fill (checked as items arrive).
     *
     * @param maxLatency the longest wait, positive
     * @return a copy with the new bound
     * @throws IllegalArgumentException if {@code maxLatency} is not positive
     */
    public Chunking withMaxLatency(Duration maxLatency) {
        Objects.requireNonNull(maxLatency, "maxLatency");
        if (maxLatency.isZero() || maxLatency.isNegative()) {
            throw new IllegalArgumentException("maxLatency must be positive, got " + maxLatency);
        }
        return mode == Mode.OFF ? this : new Chunking(mode, maxSize, target, maxLatency);
    }

    private static void checkSize(int size) {
        if (size < 1 || size > (1 << 20)) {
            throw new IllegalArgumentException("chunk size must be between 1 and 1048576, got " + size);
        }
    }

    /**
     * Returns the kind of chunking.
     *
     * @return off, fixed or automatic
     */
    public Mode mode() {
        return mode;
    }

    /**
     * Returns the largest chunk: the fixed size, the automatic bound, or 1 when off.
     *
     * @return items per chunk at most
     */
    public int maxSize() {
        return maxSize;
    }

    /**
     * Returns the work automatic mode aims to put in one chunk.
     *
     * @return the target time per chunk
     */
    public Duration target() {
        return target;
    }

    /**
     * Returns how long the first item of a chunk waits for the chunk to fill, at most.
     *
     * @return the latency bound
     */
    public Duration maxLatency() {
        return maxLatency;
    }

    /**
     * Returns whether items move in chunks.
     *
     * @return {@code false} when off
     */
    public boolean isOn() {
        return mode != Mode.OFF;
    }

    /**
     * Describes the chunking in a few words, as {@link Pipeline#describe()} prints it.
     *
     * @return for example {@code "chunks=auto(<=1024)"}
     */
    public String describe() {
        return switch (mode) {
            case OFF -> "chunks=off";
            case FIXED -> "chunks=" + maxSize;
            case AUTO -> "chunks=auto(<=" + maxSize + ")";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Chunking that && mode == that.mode && maxSize == that.maxSize
                && target.equals(that.target) && maxLatency.equals(that.maxLatency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, maxSize, target, maxLatency);
    }

    @Override
    public String toString() {
        return "Chunking[" + describe() + "]";
    }
}
