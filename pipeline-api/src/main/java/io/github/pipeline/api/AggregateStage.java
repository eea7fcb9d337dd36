package io.github.pipeline.api;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Folds the items by key with an {@link Aggregator} and, when the input ends, emits one
 * {@link KeyedResult} per distinct key in key order. Holds at most
 * {@link AggregateOptions#maxKeysInMemory()} keys in memory and spills sorted runs to disk beyond
 * that. Runs sequentially. See {@link PipelineBuilder#aggregate}.
 *
 * @param name             the stage's name
 * @param key              the function from an item to its key; it must not return {@code null}
 * @param keyOrder         the order of the keys, which must be consistent with their {@code equals}
 * @param keyCodec         writes keys to spill files; empty to choose a built-in codec by the class of
 *                         the keys ({@code String}, {@code Long}, {@code Integer} or {@code Double})
 * @param aggregator       what is computed per key
 * @param aggregateOptions the memory bound, spilling and error policy
 * @param <T>              the type of the items in
 * @param <K>              the type of the keys
 * @param <R>              the type of the per-key results
 */
public record AggregateStage<T, K, R>(String name, Function<? super T, ? extends K> key,
                                      Comparator<? super K> keyOrder, Optional<SpillCodec<K>> keyCodec,
                                      Aggregator<? super T, ?, R> aggregator, AggregateOptions aggregateOptions)
        implements Stage {

    /**
     * Creates the stage description, checking its parts.
     *
     * @param name             the stage's name
     * @param key              the key function
     * @param keyOrder         the order of the keys
     * @param keyCodec         the key codec, or empty for a built-in one
     * @param aggregator       the aggregator
     * @param aggregateOptions the options
     * @throws PipelineDefinitionException if the name is invalid, or the stage may spill but its
     *                                     aggregator has no accumulator codec
     */
    public AggregateStage {
        Names.check("Stage", name);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(keyOrder, "keyOrder");
        Objects.requireNonNull(keyCodec, "keyCodec");
        Objects.requireNonNull(aggregator, "aggregator");
        Objects.requireNonNull(aggregateOptions, "aggregateOptions");
        if (aggregateOptions.spills() && aggregator.accumulatorCodec().isEmpty()) {
            throw new PipelineDefinitionException("Stage '" + name + "' aggregates with '" + aggregator.description()
                    + "', which has no accumulator codec, so the stage cannot spill to disk: give the aggregator a "
                    + "SpillCodec (Aggregators.of(..., codec)) or keep every key in memory with "
                    + "AggregateOptions.withoutSpilling()");
        }
    }

    /**
     * Returns the stage options: sequential, with the error policy of the aggregate options.
     *
     * @return the stage options
     */
    @Override
    public StageOptions options() {
        return aggregateOptions.stageOptions();
    }

    @Override
    public String kind() {
        return "aggregate";
    }

    @Override
    public boolean canRunInParallel() {
        return false;
    }

    @Override
    public String describe() {
        String order = keyOrder == Comparator.naturalOrder() ? "natural" : "comparator";
        return "sequential " + aggregateOptions.describe() + " aggregator=" + aggregator.description()
                + " key-order=" + order;
    }
}
