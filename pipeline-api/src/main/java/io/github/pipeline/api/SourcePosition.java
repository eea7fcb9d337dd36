package io.github.pipeline.api;

import java.util.Objects;

/**
 * Where an item came from in its source, precisely enough to find it again or to resume reading
 * after it: the file, the line where the item starts and the byte offset of that line.
 *
 * @param source the file (its path) or other named input the item was read from
 * @param line   the 1-based line where the item starts
 * @param offset the byte offset where the item starts in the source's content (uncompressed for gzip)
 */
public record SourcePosition(String source, long line, long offset) {

    /**
     * Creates a position.
     *
     * @param source the file or input
     * @param line   the 1-based line, at least 1
     * @param offset the byte offset, at least 0
     */
    public SourcePosition {
        Objects.requireNonNull(source, "source");
        if (line < 1) {
            throw new IllegalArgumentException("line must be at least 1, got " + line);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, got " + offset);
        }
    }

    @Override
    public String toString() {
        return source + ":" + line + " (byte " + offset + ")";
    }
}
