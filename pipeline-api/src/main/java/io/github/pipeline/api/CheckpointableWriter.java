package io.github.pipeline.api;

import java.util.Map;

/**
 * A {@link SinkWriter} that can make what it has accepted durable and say how to go on from there, so a
 * later run can resume its output. The writers of a {@link ResumableSink} are such writers.
 *
 * @param <T> the type of the items
 * @param <R> the type of the sink's result
 */
public interface CheckpointableWriter<T, R> extends SinkWriter<T, R> {

    /**
     * Makes every item accepted so far durable (flushed and synced to storage) and returns what the sink
     * needs to go on from exactly there: for a file written aside, its path and length. Called on the
     * sink's thread, between calls of {@link #accept}.
     *
     * @return the writer's state: keys and values of the sink's choosing, kept in the checkpoint file
     * @throws Exception if the output cannot be made durable; the run fails
     */
    Map<String, String> checkpoint() throws Exception;

    /**
     * Ends a failed or cancelled run that has a checkpoint to resume from: releases resources but keeps
     * what {@link #checkpoint()} made durable, where a resumed run will find it (a sink whose output has
     * nothing to keep may simply {@link #abort(Throwable) abort}). Must not throw.
     *
     * @param cause why the run ended
     */
    void suspend(Throwable cause);
}
