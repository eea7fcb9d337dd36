package io.github.pipeline.api;

/**
 * A source that hands out its items on demand: implement this for a source of your own. Each run calls
 * {@link #open()} once and reads the returned {@link SourceReader} until it returns {@code null}.
 *
 * @param <T> the type of the items
 */
public non-sealed interface PullSource<T> extends Source<T> {

    /**
     * Opens the source for one run.
     *
     * @return a reader positioned at the first item
     * @throws Exception if the source cannot be opened; the run fails with an error naming the source
     */
    SourceReader<T> open() throws Exception;
}
