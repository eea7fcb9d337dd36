package io.github.pipeline.api;

import java.util.Map;

/**
 * A {@link SourceReader} that can say where it stands, so a later run can resume after the items it has
 * returned. The readers of a {@link ResumableSource} are such readers.
 *
 * @param <T> the type of the items
 */
@SuppressWarnings("try") // as SourceReader: close() may throw any Exception
public interface CheckpointableReader<T> extends SourceReader<T> {

    /**
     * Returns what the source needs to resume right after the last item returned by {@link #next()}: a
     * file and a byte offset, say, or a message broker's offsets. The engine calls it on the thread that
     * calls {@code next()}, between calls, and only when every item returned so far has been fully
     * processed: a reader that commits positions elsewhere (a broker's consumer offsets) may commit here.
     *
     * @return the reader's state: keys and values of the source's choosing, kept in the checkpoint file
     * @throws Exception if the state cannot be taken; the run fails
     */
    Map<String, String> checkpoint() throws Exception;
}
