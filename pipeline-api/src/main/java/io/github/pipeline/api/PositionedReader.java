package io.github.pipeline.api;

import java.util.OptionalLong;

/**
 * A {@link SourceReader} that knows how far it has read and where each item came from. The engine uses
 * the byte counts for progress ({@link Progress#fractionRead()}) and the positions, when a feature asks
 * for them, to record how far a run got. Readers of files implement it; asking costs nothing when no
 * one asks.
 *
 * @param <T> the type of the items
 */
@SuppressWarnings("try") // as SourceReader: close() may throw any Exception
public interface PositionedReader<T> extends SourceReader<T> {

    /**
     * Returns where the item most recently returned by {@link #next()} starts. Called from the thread
     * that calls {@code next()}, after it.
     *
     * @return the item's position
     * @throws IllegalStateException if no item has been returned yet
     */
    SourcePosition position();

    /**
     * Returns how many bytes have been read from storage so far: for a gzip file, compressed bytes. May
     * run ahead of the items returned by up to one read buffer. Safe to call from any thread.
     *
     * @return the bytes read so far
     */
    long bytesRead();

    /**
     * Returns how many bytes there are to read in all, as {@link #bytesRead()} counts them, when known.
     * Safe to call from any thread.
     *
     * @return the total, or empty if unknown
     */
    OptionalLong bytesTotal();
}
