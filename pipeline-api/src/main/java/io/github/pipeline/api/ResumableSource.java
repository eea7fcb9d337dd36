package io.github.pipeline.api;

import java.util.Map;

/**
 * A {@link PullSource} whose runs can be checkpointed and resumed (see {@link Checkpoints}): its readers
 * are {@link CheckpointableReader}s, and it can open a reader that goes on from a state one of them
 * returned. {@code io.github.pipeline.io.FileSource} is one.
 *
 * @param <T> the type of the items
 */
public interface ResumableSource<T> extends PullSource<T> {

    /**
     * Opens a reader that starts right after the items covered by {@code checkpoint}: the next item it
     * returns is the first one the checkpointed run had not fully processed.
     *
     * @param checkpoint a state returned by {@link CheckpointableReader#checkpoint()} of this source
     * @return the reader, a {@link CheckpointableReader}
     * @throws Exception if the source cannot resume from that state (its input changed, say): the run
     *                   fails with an error naming the source
     */
    CheckpointableReader<T> resume(Map<String, String> checkpoint) throws Exception;
}
