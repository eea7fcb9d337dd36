package io.github.pipeline.api;

/**
 * Reads the items of an opened {@link PullSource}, one at a time. The engine calls it from one thread
 * at a time, only as fast as the pipeline asks for items, and always closes it at the end of a run,
 * whether the run succeeded, failed or was cancelled.
 *
 * @param <T> the type of the items
 */
@FunctionalInterface
@SuppressWarnings("try") // close() may throw any Exception, as a JDBC or HTTP client's does
public interface SourceReader<T> extends AutoCloseable {

    /**
     * Returns the next item, or {@code null} when there are no more. May block (it runs on a thread
     * of the engine's that is meant for it).
     *
     * @return the next item, or {@code null} at the end
     * @throws Exception if the item cannot be read; the run fails with an error naming the source
     */
    T next() throws Exception;

    /**
     * Releases what the reader holds (files, connections). The default does nothing.
     *
     * @throws Exception if releasing fails; the engine records it and goes on
     */
    @Override
    default void close() throws Exception {
    }
}
