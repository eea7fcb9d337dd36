package io.github.pipeline.runtime;

import java.util.ArrayList;

/**
 * Items travelling down the rails together. Stages of the segment rewrite a chunk in place (an item
 * filtered out or skipped leaves it), so a chunk never holds more than it was made with. When the
 * segment keeps source order the chunk carries its position in the sequence of chunks.
 */
final class Chunk extends ArrayList<Object> {

    private static final long serialVersionUID = 1L;

    /** The chunk's position among the chunks of the run, for an ordered merge; -1 when unordered. */
    final long index;

    Chunk(int capacity, long index) {
        super(capacity);
        this.index = index;
    }

    /** Keeps the first {@code size} items. */
    void truncate(int size) {
        removeRange(size, size());
    }
}
