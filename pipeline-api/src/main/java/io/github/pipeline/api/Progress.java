package io.github.pipeline.api;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * A snapshot of a run's progress, taken while it runs or after: items read, bytes read when the source
 * counts them (files do, see {@link PositionedReader}), per-stage counts and items written. Counts are
 * read one after another without a lock, so a snapshot of a running pipeline is approximate by a few
 * items.
 *
 * @param pipeline         the pipeline's name
 * @param elapsed          the time since the run started
 * @param sourceItems      items the source has produced so far
 * @param sourceSize       how many items the source will produce, when it knows
 * @param sourceBytesRead  bytes the source has read from storage so far (compressed bytes for gzip), 0
 *                         when it does not count them
 * @param sourceBytesTotal how many bytes the source will read in all, when it knows
 * @param stages           per-stage counts so far
 * @param sinkItems        items the sink has taken so far
 * @param done             whether the run has ended (in any way)
 */
public record Progress(String pipeline, Duration elapsed, long sourceItems, OptionalLong sourceSize,
                       long sourceBytesRead, OptionalLong sourceBytesTotal,
                       List<StageStats> stages, long sinkItems, boolean done) {

    /**
     * Creates a snapshot.
     *
     * @param pipeline         the pipeline's name
     * @param elapsed          time since the start
     * @param sourceItems      items read
     * @param sourceSize       items the source will produce, if known
     * @param sourceBytesRead  bytes read from storage
     * @param sourceBytesTotal bytes to read in all, if known
     * @param stages           per-stage counts
     * @param sinkItems        items written
     * @param done             whether the run has ended
     */
    public Progress {
        java.util.Objects.requireNonNull(sourceSize, "sourceSize");
        java.util.Objects.requireNonNull(sourceBytesTotal, "sourceBytesTotal");
        stages = List.copyOf(stages);
    }

    /**
     * Creates a snapshot of a run whose source does not count bytes.
     *
     * @param pipeline    the pipeline's name
     * @param elapsed     time since the start
     * @param sourceItems items read
     * @param sourceSize  items the source will produce, if known
     * @param stages      per-stage counts
     * @param sinkItems   items written
     * @param done        whether the run has ended
     */
    public Progress(String pipeline, Duration elapsed, long sourceItems, OptionalLong sourceSize,
                    List<StageStats> stages, long sinkItems, boolean done) {
        this(pipeline, elapsed, sourceItems, sourceSize, 0, OptionalLong.empty(), stages, sinkItems, done);
    }

    /**
     * Returns the rate at which the sink has taken items since the run started.
     *
     * @return items per second, 0 before any time has passed
     */
    public double itemsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : sinkItems / seconds;
    }

    /**
     * Estimates the time left from the share of the source read so far, when the source knows its size
     * in bytes or items.
     *
     * @return the estimated time to finish, or empty if the size is unknown or nothing is read yet
     */
    public java.util.Optional<Duration> eta() {
        java.util.OptionalDouble fraction = fractionRead();
        if (fraction.isEmpty() || fraction.getAsDouble() <= 0) {
            return java.util.Optional.empty();
        }
        double f = fraction.getAsDouble();
        return java.util.Optional.of(Duration.ofNanos((long) (elapsed.toNanos() * (1 - f) / f)));
    }

    /**
     * Returns the share of the source read so far: bytes read of bytes in all when the source knows its
     * size in bytes (a file does), else items read of items in all when it knows that.
     *
     * @return a fraction from 0 to 1, or empty if the size is unknown
     */
    public java.util.OptionalDouble fractionRead() {
        if (sourceBytesTotal.isPresent()) {
            return fraction(sourceBytesRead, sourceBytesTotal.getAsLong());
        }
        if (sourceSize.isPresent()) {
            return fraction(sourceItems, sourceSize.getAsLong());
        }
        return java.util.OptionalDouble.empty();
    }

    private static java.util.OptionalDouble fraction(long done, long total) {
        return java.util.OptionalDouble.of(total <= 0 ? 1.0 : Math.min(1.0, (double) done / total));
    }
}
