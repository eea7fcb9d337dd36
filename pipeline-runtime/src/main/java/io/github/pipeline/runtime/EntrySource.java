package io.github.pipeline.runtime;

import java.io.Closeable;
import java.io.IOException;

/** Entries (a key and its accumulator) in key order, one at a time: a sorted run on disk or in memory. */
interface EntrySource extends Closeable {

    /**
     * Moves to the next entry.
     *
     * @return {@code false} once there are no more
     * @throws IOException if reading fails
     */
    boolean advance() throws IOException;

    /** The current entry's key; valid after {@link #advance()} returned {@code true}. */
    Object key();

    /** The current entry's accumulator; valid after {@link #advance()} returned {@code true}. */
    Object accumulator();

    @Override
    default void close() throws IOException {
    }
}
