package io.github.pipeline.api;

import java.util.Optional;

/**
 * Folds the items of one key into a result: what an
 * {@linkplain PipelineBuilder#aggregate(String, java.util.function.Function, Aggregator) aggregate}
 * stage computes per key. The stage {@linkplain #create() creates} an accumulator when it meets a key,
 * {@linkplain #add adds} each of the key's items to it, {@linkplain #merge merges} the partial
 * accumulators of a key that was spilled to disk more than once, and {@linkplain #finish finishes} the
 * accumulator into the key's result at the end.
 *
 * <p>Use the built-ins of {@link Aggregators} (count, sums, min, max, average, several at once), or
 * {@link Aggregators#of} for your own. The engine calls an aggregator from one thread at a time.
 *
 * <p>Results do not depend on where spilling happened as long as {@code merge} is associative and
 * agrees with {@code add}: merging the accumulators of two runs of items gives what adding all of them
 * to one accumulator gives. {@code merge} need not be commutative: its first argument always holds
 * items that arrived before those of its second.
 *
 * <p>To spill, the stage needs an {@linkplain #accumulatorCodec() accumulator codec}. An aggregator
 * without one can only be used with {@link AggregateOptions#withoutSpilling()}; building a pipeline
 * that would have to spill it fails with a {@link PipelineDefinitionException}.
 *
 * @param <T> the type of the items
 * @param <A> the type of the accumulator
 * @param <R> the type of the result
 */
public interface Aggregator<T, A, R> {

    /**
     * Creates the accumulator of a key met for the first time (or for the first time since its last
     * spill).
     *
     * @return a new, empty accumulator, never {@code null}
     */
    A create();

    /**
     * Adds an item to an accumulator. It may change the accumulator and return it, or return a new one.
     * If it throws, the stage's error policy handles the item; for a skipped or dead-lettered item to
     * leave no trace, change the accumulator only once nothing can fail any more (the built-ins return
     * new values).
     *
     * @param accumulator the key's accumulator
     * @param item        the item
     * @return the accumulator with the item added, never {@code null}
     */
    A add(A accumulator, T item);

    /**
     * Merges two accumulators of the same key.
     *
     * @param earlier the accumulator of items that arrived first
     * @param later   the accumulator of items that arrived after them
     * @return the accumulator of both, never {@code null}; it may be one of the arguments, changed
     */
    A merge(A earlier, A later);

    /**
     * Turns a key's final accumulator into its result.
     *
     * @param accumulator the accumulator of all the key's items
     * @return the result, never {@code null}
     */
    R finish(A accumulator);

    /**
     * Returns the codec that writes accumulators to spill files and reads them back.
     *
     * @return the codec, or empty if accumulators cannot be spilled
     */
    Optional<SpillCodec<A>> accumulatorCodec();

    /**
     * Describes the aggregator in a few words for {@link Pipeline#describe()}.
     *
     * @return for example {@code "count"} or {@code "sum"}
     */
    default String description() {
        return "custom";
    }
}
