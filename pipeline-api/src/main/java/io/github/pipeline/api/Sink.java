package io.github.pipeline.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where a pipeline's results go. A sink is a description: each run {@link #open() opens} a writer
 * that takes the items one at a time and produces the run's value.
 *
 * @param <T> the type of the items
 * @param <R> the type of the run's value
 */
public interface Sink<T, R> {

    /** The default maximum size of {@link #toList()}. */
    int DEFAULT_MAX_LIST_SIZE = 1_000_000;

    /**
     * Opens the sink for one run.
     *
     * @return a writer for the run's items
     * @throws Exception if the sink cannot be opened; the run fails before reading anything
     */
    SinkWriter<T, R> open() throws Exception;

    /**
     * Describes the sink in a few words for {@link Pipeline#describe()}.
     *
     * @return the description
     */
    String description();

    /**
     * Calls {@code action} on each item, from one thread at a time; the run's value is the number of
     * items.
     *
     * @param action what to do with each item
     * @param <T>    the type of the items
     * @return a sink that acts on every item
     */
    static <T> Sink<T, Long> forEach(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        return fold("for-each", () -> 0L, (n, item) -> {
            action.accept(item);
            return n + 1;
        });
    }

    /**
     * Counts the items.
     *
     * @param <T> the type of the items
     * @return a sink whose value is the number of items
     */
    static <T> Sink<T, Long> count() {
        return fold("count", () -> 0L, (n, item) -> n + 1);
    }

    /**
     * Combines the items with {@code operator}, starting from {@code identity}.
     *
     * @param identity the starting value, the result of an empty run
     * @param operator combines the value so far with the next item
     * @param <T>      the type of the items and of the result
     * @return a sink whose value is the reduction
     */
    static <T> Sink<T, T> reduce(T identity, BinaryOperator<T> operator) {
        Objects.requireNonNull(operator, "operator");
        return fold("reduce", () -> identity, operator);
    }

    /**
     * Folds the items into an accumulator: {@code initial} makes it for each run, {@code step} folds
     * in each item in turn.
     *
     * @param initial makes the starting accumulator
     * @param step    folds one item into the accumulator and returns the new one
     * @param <T>     the type of the items
     * @param <A>     the type of the accumulator and of the result
     * @return a sink whose value is the final accumulator
     */
    static <T, A> Sink<T, A> fold(Supplier<? extends A> initial, BiFunction<A, ? super T, A> step) {
        return fold("fold", initial, step);
    }

    private static <T, A> Sink<T, A> fold(String description, Supplier<? extends A> initial,
                                          BiFunction<A, ? super T, A> step) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(step, "step");
        return new Sink<>() {
            @Override
            public SinkWriter<T, A> open() {
                return new SinkWriter<>() {
                    private A value = initial.get();

                    @Override
                    public void accept(T item) {
                        value = step.apply(value, item);
                    }

                    @Override
                    public A complete() {
                        return value;
                    }
                };
            }

            @Override
            public String description() {
                return description;
            }
        };
    }

    /**
     * Collects the items into a list of at most {@value #DEFAULT_MAX_LIST_SIZE} items. For small
     * results only: a run that would exceed the maximum fails at once rather than filling memory.
     *
     * @param <T> the type of the items
     * @return a sink whose value is the list of items, in arrival order
     */
    static <T> Sink<T, List<T>> toList() {
        return toList(DEFAULT_MAX_LIST_SIZE);
    }

    /**
     * Collects the items into a list of at most {@code maxItems} items. A run that would exceed it
     * fails at once with an error that says so and how to stream instead.
     *
     * @param maxItems the largest list to hold, at least 0
     * @param <T>      the type of the items
     * @return a sink whose value is the list of items, in arrival order
     */
    static <T> Sink<T, List<T>> toList(int maxItems) {
        if (maxItems < 0) {
            throw new IllegalArgumentException("maxItems must not be negative, got " + maxItems);
        }
        return new Sink<>() {
            @Override
            public SinkWriter<T, List<T>> open() {
                return new SinkWriter<>() {
                    private final List<T> items = new ArrayList<>();

                    @Override
                    public void accept(T item) {
                        if (items.size() >= maxItems) {
                            throw new SinkCapacityExceededException(maxItems);
                        }
                        items.add(item);
                    }

                    @Override
                    public List<T> complete() {
                        return items;
                    }
                };
            }

            @Override
            public String description() {
                return "list (max " + maxItems + " items)";
            }
        };
    }

    /**
     * Keeps the first {@code k} items in {@code order}: the top K, in a bounded heap of {@code k} items
     * however many arrive. The run's value lists them first to last. Items that compare equal keep their
     * arrival order, so the result is what sorting all the items (stably) and taking the first {@code k}
     * would give; make the order total (a last {@code thenComparing}) for a result that does not depend
     * on arrival order. The most frequent words first, ties in alphabetical order:
     *
     * <pre>{@code
     * Sink.topK(10, Comparator.comparing(KeyedResult<String, Long>::value, Comparator.reverseOrder())
     *         .thenComparing(KeyedResult::key))
     * }</pre>
     *
     * @param k     how many items to keep, at least 1
     * @param order the order, first is best
     * @param <T>   the type of the items
     * @return a sink whose value is the first {@code k} items (fewer if fewer arrived), first to last
     * @throws IllegalArgumentException if {@code k} is less than 1
     */
    static <T> Sink<T, List<T>> topK(int k, Comparator<? super T> order) {
        return new TopKSink<>(k, order);
    }

    /**
     * Writes each item's {@code toString()} as a line of a UTF-8 file. The file is written aside and
     * moved into place only when the run succeeds: a failed or cancelled run leaves an existing file
     * untouched and no partial file under the final name. The run's value is the number of lines.
     *
     * @param file the file to write
     * @param <T>  the type of the items
     * @return a sink that writes lines to {@code file}
     */
    static <T> ResumableSink<T, Long> lines(Path file) {
        return new LinesFileSink<>(file);
    }
}
