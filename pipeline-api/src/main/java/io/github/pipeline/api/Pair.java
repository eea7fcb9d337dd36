package io.github.pipeline.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Two values that travel together, as Python's tuples do through {@code starmap}.
 *
 * @param first  the first value, not {@code null}
 * @param second the second value, not {@code null}
 * @param <A>    the type of the first value
 * @param <B>    the type of the second value
 */
public record Pair<A, B>(A first, B second) {

    /**
     * Creates a pair.
     *
     * @param first  the first value, not {@code null}
     * @param second the second value, not {@code null}
     */
    public Pair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }

    /**
     * Creates a pair.
     *
     * @param first  the first value
     * @param second the second value
     * @param <A>    the type of the first value
     * @param <B>    the type of the second value
     * @return the pair
     */
    public static <A, B> Pair<A, B> of(A first, B second) {
        return new Pair<>(first, second);
    }

    /**
     * Turns a two-argument function into a function of pairs: the {@code starmap} idiom.
     * {@code .map("f2", Pair.function((x, y) -> x * y))} applies {@code f2} to each zipped pair.
     *
     * @param function the function of two arguments
     * @param <A>      the type of the first argument
     * @param <B>      the type of the second argument
     * @param <R>      the type of the result
     * @return a function that applies {@code function} to a pair's two values
     */
    public static <A, B, R> Function<Pair<A, B>, R> function(BiFunction<? super A, ? super B, ? extends R> function) {
        Objects.requireNonNull(function, "function");
        return pair -> function.apply(pair.first(), pair.second());
    }

    /**
     * Pairs the elements of two lists, the first with the first; the result is as long as the shorter.
     *
     * @param first  the first values
     * @param second the second values
     * @param <A>    the type of the first values
     * @param <B>    the type of the second values
     * @return the list of pairs
     */
    public static <A, B> List<Pair<A, B>> zip(Iterable<? extends A> first, Iterable<? extends B> second) {
        List<Pair<A, B>> pairs = new ArrayList<>();
        Iterator<? extends A> a = first.iterator();
        Iterator<? extends B> b = second.iterator();
        while (a.hasNext() && b.hasNext()) {
            pairs.add(new Pair<>(a.next(), b.next()));
        }
        return pairs;
    }
}
