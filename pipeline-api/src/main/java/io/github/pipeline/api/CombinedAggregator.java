package io.github.pipeline.api;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Several aggregators over the same items, their results combined into one; see
 * {@link Aggregators#combine}. The accumulator is an array of the parts' accumulators. An item is added
 * to every part before any part's accumulator is replaced, so an item that fails in one part (and is
 * skipped) leaves the others as they were, provided the parts return new accumulators from {@code add},
 * as the built-ins do.
 */
final class CombinedAggregator<T, R> implements Aggregator<T, Object[], R> {

    private final List<Aggregator<T, Object, Object>> parts;
    private final Function<Object[], R> combiner;
    /** The parts' accumulator codecs, or {@code null} if a part has none. */
    private final List<SpillCodec<Object>> codecs;

    @SuppressWarnings("unchecked")
    CombinedAggregator(List<Aggregator<? super T, ?, ?>> parts, Function<Object[], R> combiner) {
        List<Aggregator<T, Object, Object>> typed = new ArrayList<>();
        for (Aggregator<? super T, ?, ?> part : parts) {
            typed.add((Aggregator<T, Object, Object>) part);
        }
        this.parts = List.copyOf(typed);
        this.combiner = combiner;
        this.codecs = this.parts.stream().allMatch(p -> p.accumulatorCodec().isPresent())
                ? this.parts.stream().map(p -> p.accumulatorCodec().orElseThrow()).toList()
                : null;
    }

    @Override
    public Object[] create() {
        Object[] accumulators = new Object[parts.size()];
        for (int i = 0; i < accumulators.length; i++) {
            accumulators[i] = parts.get(i).create();
        }
        return accumulators;
    }

    @Override
    public Object[] add(Object[] accumulator, T item) {
        Object[] next = new Object[accumulator.length];
        for (int i = 0; i < next.length; i++) {
            next[i] = parts.get(i).add(accumulator[i], item);
        }
        System.arraycopy(next, 0, accumulator, 0, next.length);
        return accumulator;
    }

    @Override
    public Object[] merge(Object[] earlier, Object[] later) {
        for (int i = 0; i < earlier.length; i++) {
            earlier[i] = parts.get(i).merge(earlier[i], later[i]);
        }
        return earlier;
    }

    @Override
    public R finish(Object[] accumulator) {
        Object[] results = new Object[accumulator.length];
        for (int i = 0; i < results.length; i++) {
            results[i] = parts.get(i).finish(accumulator[i]);
        }
        return combiner.apply(results);
    }

    @Override
    public Optional<SpillCodec<Object[]>> accumulatorCodec() {
        return codecs == null ? Optional.empty() : Optional.of(new Codec());
    }

    @Override
    public String description() {
        return parts.stream().map(Aggregator::description).collect(Collectors.joining(", ", "combine(", ")"));
    }

    @Override
    public String toString() {
        return "Aggregator[" + description() + "]";
    }

    /** Writes the parts' accumulators one after the other, each with its part's codec. */
    private final class Codec implements SpillCodec<Object[]> {

        @Override
        public void write(Object[] value, DataOutput out) throws IOException {
            for (int i = 0; i < value.length; i++) {
                codecs.get(i).write(value[i], out);
            }
        }

        @Override
        public Object[] read(DataInput in) throws IOException {
            Object[] value = new Object[codecs.size()];
            for (int i = 0; i < value.length; i++) {
                value[i] = codecs.get(i).read(in);
            }
            return value;
        }
    }
}
