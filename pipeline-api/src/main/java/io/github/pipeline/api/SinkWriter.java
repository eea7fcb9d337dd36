package io.github.pipeline.api;

/**
 * Receives the items of one run. The engine calls {@link #accept} from one thread at a time, then
 * exactly one of {@link #complete()} (the run succeeded) or {@link #abort(Throwable)} (it failed or
 * was cancelled).
 *
 * @param <T> the type of the items
 * @param <R> the type of the sink's result
 */
public interface SinkWriter<T, R> {

    /**
     * Takes one item. May block: the sink runs on a thread of the engine's that is meant for it.
     *
     * @param item the item, never {@code null}
     * @throws Exception if the item cannot be taken; the run fails with an error naming the sink
     */
    void accept(T item) throws Exception;

    /**
     * Ends a successful run and returns the sink's result (a count, a value, a list, a file's line count).
     *
     * @return the result, or {@code null} for sinks that have none
     * @throws Exception if finishing fails (a file cannot be moved into place); the run fails
     */
    R complete() throws Exception;

    /**
     * Ends a failed or cancelled run: release resources and undo partial output. Must not throw.
     *
     * @param cause why the run ended
     */
    default void abort(Throwable cause) {
    }
}
