package io.github.pipeline.api;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;

/** An {@link Aggregator} made of functions; see {@link Aggregators#of}. */
final class FunctionalAggregator<T, A, R> implements Aggregator<T, A, R> {

    private final String description;
    private final Supplier<? extends A> create;
    private final BiFunction<A, ? super T, A> add;
    private final BinaryOperator<A> merge;
    private final Function<? super A, ? extends R> finish;
    private final SpillCodec<A> codec;

    FunctionalAggregator(String description, Supplier<? extends A> create, BiFunction<A, ? super T, A> add,
                         BinaryOperator<A> merge, Function<? super A, ? extends R> finish, SpillCodec<A> codec) {
        this.description = Objects.requireNonNull(description, "description");
        this.create = Objects.requireNonNull(create, "create");
        this.add = Objects.requireNonNull(add, "add");
        this.merge = Objects.requireNonNull(merge, "merge");
        this.finish = Objects.requireNonNull(finish, "finish");
        this.codec = codec;
    }

    @Override
    public A create() {
        return create.get();
    }

    @Override
    public A add(A accumulator, T item) {
        return add.apply(accumulator, item);
    }

    @Override
    public A merge(A earlier, A later) {
        return merge.apply(earlier, later);
    }

    @Override
    public R finish(A accumulator) {
        return finish.apply(accumulator);
    }

    @Override
    public Optional<SpillCodec<A>> accumulatorCodec() {
        return Optional.ofNullable(codec);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return "Aggregator[" + description + "]";
    }
}
