package io.github.pipeline.api;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The built-in {@link Aggregator}s, and ways to make and combine your own:
 *
 * <pre>{@code
 * Aggregators.count()                                   // items per key
 * Aggregators.sumLong(Order::quantity)                  // exact, fails on overflow
 * Aggregators.sumDouble(Order::amount)
 * Aggregators.minDouble(Order::amount), maxDouble(...), minLong(...), maxLong(...)
 * Aggregators.average(Order::amount)
 * Aggregators.combine(Aggregators.count(), Aggregators.average(Order::amount), Stats::new)
 * Aggregators.of(HashSet::new, (set, o) -> { set.add(o.customer()); return set; },
 *         (a, b) -> { a.addAll(b); return a; }, Set::size)   // custom; add a codec to spill
 * }</pre>
 *
 * <p>Every built-in can spill: it has an accumulator codec, and returns new accumulators from
 * {@code add}, so an item that fails (in a getter, say) and is skipped leaves its key's accumulator
 * as it was. A getter that throws fails the item, which the stage's error policy handles.
 */
public final class Aggregators {

    private Aggregators() {
    }

    /**
     * Counts the items of each key.
     *
     * @param <T> the type of the items
     * @return the aggregator, whose result is the number of items
     */
    public static <T> Aggregator<T, ?, Long> count() {
        return new FunctionalAggregator<T, Long, Long>("count", () -> 0L, (n, item) -> n + 1, Long::sum, n -> n,
                SpillCodec.longs());
    }

    /**
     * Sums a long value of each item, exactly: an item that would make the sum overflow fails (and the
     * error policy handles it); a sum that overflows while partial sums are merged fails the run.
     *
     * @param value the value of an item
     * @param <T>   the type of the items
     * @return the aggregator, whose result is the sum
     */
    public static <T> Aggregator<T, ?, Long> sumLong(ToLongFunction<? super T> value) {
        Objects.requireNonNull(value, "value");
        return new FunctionalAggregator<T, Long, Long>("sum", () -> 0L,
                (sum, item) -> Math.addExact(sum, value.applyAsLong(item)), Math::addExact, sum -> sum,
                SpillCodec.longs());
    }

    /**
     * Sums a double value of each item. Floating-point addition is not associative: when the stage
     * spills, partial sums are added in a different order and the last bits may differ from a sum
     * made in one pass.
     *
     * @param value the value of an item
     * @param <T>   the type of the items
     * @return the aggregator, whose result is the sum
     */
    public static <T> Aggregator<T, ?, Double> sumDouble(ToDoubleFunction<? super T> value) {
        Objects.requireNonNull(value, "value");
        return new FunctionalAggregator<T, Double, Double>("sum", () -> 0.0,
                (sum, item) -> sum + value.applyAsDouble(item), Double::sum, sum -> sum, SpillCodec.doubles());
    }

    /**
     * The smallest long value of a key's items.
     *
     * @param value the value of an item
     * @param <T>   the type of the items
     * @return the aggregator, whose result is the minimum
     */
    public static <T> Aggregator<T, ?, Long> minLong(ToLongFunction<? super T> value) {
        Objects.requireNonNull(value, "value");
        return new FunctionalAggregator<T, Long, Long>("min", () -> Long.MAX_VALUE,
                (min, item) -> Math.min(min, value.applyAsLong(item)), Math::min, min -> min, SpillCodec.longs());
    }

    /**
     * The largest long value of a key's items.
     *
     * @param value the value of an item
     * @param <T>   the type of the items
     * @return the aggregator, whose result is the maximum
     */
    public static <T> Aggregator<T, ?, Long> maxLong(ToLongFunction<? super T> value) {
        Objects.requireNonNull(value, "value");
        return new FunctionalAggregator<T, Long, Long>("max", () -> Long.MIN_VALUE,
                (max, item) -> Math.max(max, value.applyAsLong(item)), Math::max, max -> max, SpillCodec.longs());
    }

    /**
     * The smallest double value of a key's items ({@code NaN} if any value is {@code NaN}, as
     * {@link Math#min(double, double)} has it).
     *
     * @param value the value of an item
     * @param <T>   the type of the items
     * @return the aggregator, whose result is the minimum
     */
    public static <T> Aggregator<T, ?, Double> minDouble(ToDoubleFunction<? super T> value) {
        Objects.requireNonNull(value, "value");
        return new FunctionalAggregator<T, Double, Double>("min", () -> Double.POSITIVE_INFINITY,
                (min, item) -> Math.min(min, value.applyAsDouble(item)), Math::min, min -> min, SpillCodec.doubles());
    }

    /**
     * The largest double value of a key's items ({@code NaN} if any value is {@code NaN}, as
     * {@link Math#max(double, double)} has it).
     *
     * @param value the value of an item
     * @param <T>   the type of the items
     * @return the aggregator, whose result is the maximum
     */
    public static <T> Aggregator<T, ?, Double> maxDouble(ToDoubleFunction<? super T> value) {
        Objects.requireNonNull(value, "value");
        return new FunctionalAggregator<T, Double, Double>("max", () -> Double.NEGATIVE_INFINITY,
                (max, item) -> Math.max(max, value.applyAsDouble(item)), Math::max, max -> max, SpillCodec.doubles());
    }

    /**
     * The arithmetic mean of a double value of a key's items.
     *
     * @param value the value of an item
     * @param <T>   the type of the items
     * @return the aggregator, whose result is the mean
     */
    public static <T> Aggregator<T, ?, Double> average(ToDoubleFunction<? super T> value) {
        Objects.requireNonNull(value, "value");
        return new FunctionalAggregator<T, Mean, Double>("average", () -> Mean.EMPTY,
                (mean, item) -> mean.plus(value.applyAsDouble(item)), Mean::merge, Mean::value, Mean.CODEC);
    }

    /**
     * A custom aggregator without an accumulator codec: usable only with
     * {@link AggregateOptions#withoutSpilling()}, since its accumulators cannot be written to disk.
     *
     * @param create makes a key's empty accumulator
     * @param add    adds an item to an accumulator, returning it (changed) or a new one
     * @param merge  merges the accumulators of earlier and later items of a key
     * @param finish turns a key's final accumulator into its result
     * @param <T>    the type of the items
     * @param <A>    the type of the accumulator
     * @param <R>    the type of the result
     * @return the aggregator
     */
    public static <T, A, R> Aggregator<T, A, R> of(Supplier<? extends A> create, BiFunction<A, ? super T, A> add,
                                                   BinaryOperator<A> merge, Function<? super A, ? extends R> finish) {
        return new FunctionalAggregator<>("custom", create, add, merge, finish, null);
    }

    /**
     * A custom aggregator that can spill: {@code codec} writes its accumulators to disk and reads them
     * back.
     *
     * @param create makes a key's empty accumulator
     * @param add    adds an item to an accumulator, returning it (changed) or a new one
     * @param merge  merges the accumulators of earlier and later items of a key
     * @param finish turns a key's final accumulator into its result
     * @param codec  writes and reads accumulators
     * @param <T>    the type of the items
     * @param <A>    the type of the accumulator
     * @param <R>    the type of the result
     * @return the aggregator
     */
    public static <T, A, R> Aggregator<T, A, R> of(Supplier<? extends A> create, BiFunction<A, ? super T, A> add,
                                                   BinaryOperator<A> merge, Function<? super A, ? extends R> finish,
                                                   SpillCodec<A> codec) {
        return new FunctionalAggregator<>("custom", create, add, merge, finish, Objects.requireNonNull(codec, "codec"));
    }

    /**
     * Two aggregates of the same items, combined into one result per key, for example a count and a
     * sum into a record: {@code combine(count(), sumDouble(Row::amount), Totals::new)}. It can spill if
     * both parts can.
     *
     * @param first    the first aggregate
     * @param second   the second aggregate
     * @param combiner makes the key's result from the two results
     * @param <T>      the type of the items
     * @param <R1>     the type of the first result
     * @param <R2>     the type of the second result
     * @param <R>      the type of the combined result
     * @return the aggregator
     */
    @SuppressWarnings("unchecked")
    public static <T, R1, R2, R> Aggregator<T, ?, R> combine(Aggregator<? super T, ?, R1> first,
                                                             Aggregator<? super T, ?, R2> second,
                                                             BiFunction<? super R1, ? super R2, ? extends R> combiner) {
        Objects.requireNonNull(combiner, "combiner");
        return new CombinedAggregator<T, R>(List.of(first, second),
                results -> combiner.apply((R1) results[0], (R2) results[1]));
    }

    /**
     * Three aggregates of the same items, combined into one result per key, for example
     * {@code combine(count(), sumDouble(Row::amount), average(Row::amount), Stats::new)}. It can spill
     * if all parts can.
     *
     * @param first    the first aggregate
     * @param second   the second aggregate
     * @param third    the third aggregate
     * @param combiner makes the key's result from the three results
     * @param <T>      the type of the items
     * @param <R1>     the type of the first result
     * @param <R2>     the type of the second result
     * @param <R3>     the type of the third result
     * @param <R>      the type of the combined result
     * @return the aggregator
     */
    @SuppressWarnings("unchecked")
    public static <T, R1, R2, R3, R> Aggregator<T, ?, R> combine(
            Aggregator<? super T, ?, R1> first, Aggregator<? super T, ?, R2> second,
            Aggregator<? super T, ?, R3> third, Combiner3<? super R1, ? super R2, ? super R3, ? extends R> combiner) {
        Objects.requireNonNull(combiner, "combiner");
        return new CombinedAggregator<T, R>(List.of(first, second, third),
                results -> combiner.combine((R1) results[0], (R2) results[1], (R3) results[2]));
    }

    /**
     * Makes one result of three, as {@link BiFunction} does of two; a record's constructor fits.
     *
     * @param <R1> the type of the first result
     * @param <R2> the type of the second result
     * @param <R3> the type of the third result
     * @param <R>  the type of the combined result
     */
    @FunctionalInterface
    public interface Combiner3<R1, R2, R3, R> {

        /**
         * Combines three results into one.
         *
         * @param first  the first result
         * @param second the second result
         * @param third  the third result
         * @return the combined result, never {@code null}
         */
        R combine(R1 first, R2 second, R3 third);
    }

    /** The accumulator of {@link #average}: how many values and their sum. Immutable. */
    private record Mean(long count, double sum) {

        static final Mean EMPTY = new Mean(0, 0.0);

        static final SpillCodec<Mean> CODEC = new SpillCodec<>() {
            @Override
            public void write(Mean value, DataOutput out) throws IOException {
                out.writeLong(value.count);
                out.writeLong(Double.doubleToRawLongBits(value.sum));
            }

            @Override
            public Mean read(DataInput in) throws IOException {
                return new Mean(in.readLong(), Double.longBitsToDouble(in.readLong()));
            }
        };

        Mean plus(double value) {
            return new Mean(count + 1, sum + value);
        }

        Mean merge(Mean later) {
            return new Mean(count + later.count, sum + later.sum);
        }

        double value() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }
}
