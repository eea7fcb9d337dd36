package io.github.pipeline.api;

import java.util.Map;

/**
 * A {@link Sink} whose output can be checkpointed and resumed (see {@link Checkpoints}): its writers are
 * {@link CheckpointableWriter}s, and it can open a writer that goes on from a state one of them returned.
 * The file sinks ({@link Sink#lines}, {@code io.github.pipeline.io.FileSink}) are such sinks: their file is
 * written aside, synced at each checkpoint, and moved to its final name only when the whole run succeeds.
 *
 * @param <T> the type of the items
 * @param <R> the type of the sink's result
 */
public interface ResumableSink<T, R> extends Sink<T, R> {

    /**
     * Opens a writer for a new run, one that can take checkpoints.
     *
     * @return the writer
     * @throws Exception if the sink cannot be opened
     */
    @Override
    CheckpointableWriter<T, R> open() throws Exception;

    /**
     * Opens a writer that goes on from {@code checkpoint}, dropping whatever was written after it.
     *
     * @param checkpoint a state returned by {@link CheckpointableWriter#checkpoint()} of this sink
     * @return the writer
     * @throws Exception if the output cannot be resumed (the file written aside is gone or shorter than
     *                   the checkpoint says): the run fails with an error naming the sink
     */
    CheckpointableWriter<T, R> resume(Map<String, String> checkpoint) throws Exception;
}
