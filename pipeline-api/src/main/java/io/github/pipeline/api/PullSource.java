package io.github.pipeline.api;

import java.util.Optional;

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

    /**
     * Returns what the engine does when the reader throws a {@link MalformedRecordException}: fail the
     * run, skip the record or dead-letter it (a policy's retries do not apply to records). A source that
     * has a policy gets a {@code <source>} entry in the run's accounting that counts the records read,
     * those emitted, and those skipped or dead-lettered. The default, empty, means the source does not
     * reject single records: any exception from its reader fails the run. The policy applies to the
     * pipeline's own source; inside {@link Source#zip} a malformed record fails the run.
     *
     * @return the policy for malformed records, or empty
     */
    default Optional<ErrorPolicy> malformedRecordPolicy() {
        return Optional.empty();
    }

    /**
     * Returns whether a read of this source never waits for data to arrive from outside: its items are
     * in memory, computed, or in a local file, so {@link SourceReader#next()} returns as soon as the
     * reader has done its own work. The engine may then read a parallel stage's chunks straight from the
     * reader, many items per call on the source's thread, with no signal per item. A source whose reads
     * may wait for data (a socket, a queue, a topic between bursts) must answer {@code false}, the
     * default: its items go to the chunks one by one, so that items read before a pause are passed on
     * within the chunk's latency bound instead of waiting for the items after the pause. (Read in chunks,
     * the bound is looked at every 16 reads: a source whose single reads are slow, though they never
     * wait, is better answering {@code false}.) The answer is not asked for when the run takes
     * checkpoints (a checkpoint is taken between two reads) or for a source inside {@link Source#zip}.
     *
     * @return {@code true} if a read never waits for data to arrive
     */
    default boolean readsWithoutWaiting() {
        return false;
    }
}
