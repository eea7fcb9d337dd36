package io.github.pipeline.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run saves checkpoints, so that a run that dies can be resumed instead of restarted: where the
 * checkpoint file goes and how often one is taken. Immutable; set it with
 * {@link Pipeline#withCheckpoints(Checkpoints)}.
 *
 * <p>Taking a checkpoint briefly drains the pipeline, as a Flink barrier does: the source stops reading,
 * every item already read is processed and accepted by the sink (or filtered, skipped or dead-lettered),
 * then the sink makes its output durable, the source's position is noted, and both are written to the
 * checkpoint file together (atomically); then reading goes on. A run started while the checkpoint file
 * exists resumes from it: the source reads on after the last item that was fully processed, and the sink
 * goes on from the output it had made durable. When the run succeeds the checkpoint file is deleted.
 *
 * <pre>{@code
 * Pipeline<Long> job = Pipeline.named("clean-logs")
 *         .from(FileSource.lines(Path.of("logs")))
 *         .map("parse", Log::parse, StageOptions.parallel())
 *         .to(FileSink.jsonLines(Path.of("out/logs.jsonl")))
 *         .withCheckpoints(Checkpoints.to(Path.of("out/clean-logs.checkpoint")).every(Duration.ofSeconds(30)));
 * job.run(); // killed half way? run it again: it goes on from the last checkpoint
 * }</pre>
 *
 * <p>A checkpoint is taken when {@link #interval()} has passed since the last one, or when
 * {@link #itemInterval()} items have been read since it (when set), whichever comes first.
 */
public final class Checkpoints {

    /** The interval used unless {@link #every(Duration)} says otherwise: 30 seconds. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /** The drain timeout used unless {@link #withDrainTimeout(Duration)} says otherwise: 1 minute. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(1);

    private final Path file;
    private final Duration interval;
    private final long items;
    private final Duration drainTimeout;

    private Checkpoints(Path file, Duration interval, long items, Duration drainTimeout) {
        this.file = file;
        this.interval = interval;
        this.items = items;
        this.drainTimeout = drainTimeout;
    }

    /**
     * Checkpoints saved to {@code file}, every {@link #DEFAULT_INTERVAL}. The file is written aside and
     * moved into place, so it is always a whole checkpoint.
     *
     * @param file the checkpoint file
     * @return the options
     */
    public static Checkpoints to(Path file) {
        return new Checkpoints(Objects.requireNonNull(file, "file").toAbsolutePath(), DEFAULT_INTERVAL, 0,
                DEFAULT_DRAIN_TIMEOUT);
    }

    /**
     * Checkpoints kept by the source and the sink themselves, with no file: for a source whose reader
     * commits its position elsewhere when {@link CheckpointableReader#checkpoint()} is called (a Kafka
     * consumer group commits its offsets in Kafka) and a sink whose writer makes its output durable there
     * (a producer flushed and acknowledged). Each checkpoint drains the run as usual, then calls both; a
     * new run starts from what the source committed. Every {@link #DEFAULT_INTERVAL}.
     *
     * @return the options
     */
    public static Checkpoints withoutFile() {
        return new Checkpoints(null, DEFAULT_INTERVAL, 0, DEFAULT_DRAIN_TIMEOUT);
    }

    /**
     * Returns a copy that takes a checkpoint every {@code interval}.
     *
     * @param interval the time between checkpoints, at least 1 ms
     * @return the copy
     * @throws IllegalArgumentException if {@code interval} is shorter than 1 ms
     */
    public Checkpoints every(Duration interval) {
        return new Checkpoints(file, atLeastOneMilli("interval", interval), items, drainTimeout);
    }

    /**
     * Returns a copy that also takes a checkpoint whenever {@code items} items have been read since the
     * last one; 0 turns this off (the default).
     *
     * @param items the items between checkpoints, or 0
     * @return the copy
     * @throws IllegalArgumentException if {@code items} is negative
     */
    public Checkpoints everyItems(long items) {
        if (items < 0) {
            throw new IllegalArgumentException("items must not be negative, got " + items);
        }
        return new Checkpoints(file, interval, items, drainTimeout);
    }

    /**
     * Returns a copy whose checkpoints wait at most {@code timeout} for the pipeline to drain. A
     * checkpoint that does not drain in time (a stage stuck on an item) is skipped: the run reads on and
     * tries again at the next one.
     *
     * @param timeout the longest wait, at least 1 ms
     * @return the copy
     * @throws IllegalArgumentException if {@code timeout} is shorter than 1 ms
     */
    public Checkpoints withDrainTimeout(Duration timeout) {
        return new Checkpoints(file, interval, items, atLeastOneMilli("drain timeout", timeout));
    }

    /**
     * Returns the checkpoint file.
     *
     * @return its absolute path, or empty for {@link #withoutFile()}
     */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * Returns the time between checkpoints.
     *
     * @return the interval
     */
    public Duration interval() {
        return interval;
    }

    /**
     * Returns the items read between checkpoints, as {@link #everyItems(long)} set it.
     *
     * @return the count, or 0 when checkpoints are taken by time only
     */
    public long itemInterval() {
        return items;
    }

    /**
     * Returns how long a checkpoint waits for the pipeline to drain.
     *
     * @return the timeout
     */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    private static Duration atLeastOneMilli(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(what + " must be at least 1 ms, got " + value);
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoints that && Objects.equals(file, that.file) && interval.equals(that.interval)
                && items == that.items && drainTimeout.equals(that.drainTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, interval, items, drainTimeout);
    }

    @Override
    public String toString() {
        return "checkpoints " + (file == null ? "kept by the source and sink" : "to " + file) + " every " + interval
                + (items > 0 ? " or " + items + " items" : "");
    }
}
