package io.github.pipeline.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.reactivestreams.Publisher;

/**
 * The DSL: a source followed by named stages, ended by a sink with {@link #to(Sink)}. Immutable: every
 * method returns a new builder and leaves this one as it was, so a prefix can be shared. Nothing runs
 * while a pipeline is built.
 *
 * <p>Every stage method has two forms: without options the stage runs
 * {@linkplain StageOptions#sequential() sequentially}; with {@link StageOptions} it can run on parallel
 * rails or blocking threads. User functions must not return {@code null}; an exception thrown by one
 * fails the run with a {@link StageFailedException} naming the pipeline, the stage and the item.
 *
 * <p>How each stage kind behaves, in the terms of Reactive Streams:
 * <ul>
 *   <li><b>emits</b> when its function has produced an output for an item (a parallel stage emits from
 *       its rails as soon as each result is ready; an ordered one holds results back until those before
 *       them are emitted);</li>
 *   <li><b>backpressures</b> when the stage after it has no outstanding demand: it then stops asking
 *       for items once its buffers ({@link StageOptions#prefetch()} per rail) are full;</li>
 *   <li><b>completes</b> when its input has completed and every buffered item has been emitted;</li>
 *   <li><b>cancels</b> its input when the run is cancelled or fails, which closes the source.</li>
 * </ul>
 *
 * @param <T> the type of the items the last stage emits
 */
public final class PipelineBuilder<T> {

    private final String pipelineName;
    private final Source<?> source;
    private final List<Stage> stages;

    private PipelineBuilder(String pipelineName, Source<?> source, List<Stage> stages) {
        this.pipelineName = pipelineName;
        this.source = source;
        this.stages = stages;
    }

    static <T> PipelineBuilder<T> start(String pipelineName, Source<T> source) {
        return new PipelineBuilder<>(pipelineName, Objects.requireNonNull(source, "source"), List.of());
    }

    private <R> PipelineBuilder<R> then(Stage stage) {
        List<Stage> next = new ArrayList<>(stages.size() + 1);
        next.addAll(stages);
        next.add(stage);
        return new PipelineBuilder<>(pipelineName, source, Collections.unmodifiableList(next));
    }

    /**
     * Applies {@code function} to each item, sequentially. See {@link #map(String, Function, StageOptions)}.
     *
     * @param name     the stage's name
     * @param function the function, must not return {@code null}
     * @param <R>      the type of the results
     * @return the builder with the stage added
     */
    public <R> PipelineBuilder<R> map(String name, Function<? super T, ? extends R> function) {
        return map(name, function, StageOptions.sequential());
    }

    /**
     * Applies {@code function} to each item and emits the result: one item out for each item in.
     * With parallel options the function runs on several rails at once, so it must be thread-safe.
     * For a two-argument function over zipped pairs (Python's {@code starmap}) pass
     * {@link Pair#function Pair.function((x, y) -> ...)}.
     *
     * @param name     the stage's name
     * @param function the function, must not return {@code null}
     * @param options  how the stage runs
     * @param <R>      the type of the results
     * @return the builder with the stage added
     */
    public <R> PipelineBuilder<R> map(String name, Function<? super T, ? extends R> function, StageOptions options) {
        return then(new MapStage<>(name, function, options));
    }

    /**
     * Keeps the items for which {@code predicate} holds, sequentially.
     *
     * @param name      the stage's name
     * @param predicate the test
     * @return the builder with the stage added
     */
    public PipelineBuilder<T> filter(String name, Predicate<? super T> predicate) {
        return filter(name, predicate, StageOptions.sequential());
    }

    /**
     * Keeps the items for which {@code predicate} holds; the others are counted as filtered.
     *
     * @param name      the stage's name
     * @param predicate the test
     * @param options   how the stage runs
     * @return the builder with the stage added
     */
    public PipelineBuilder<T> filter(String name, Predicate<? super T> predicate, StageOptions options) {
        return then(new FilterStage<>(name, predicate, options));
    }

    /**
     * Replaces each item with the elements of the {@link Iterable} that {@code function} returns,
     * sequentially.
     *
     * @param name     the stage's name
     * @param function the function from an item to its outputs
     * @param <R>      the type of the outputs
     * @return the builder with the stage added
     */
    public <R> PipelineBuilder<R> flatMap(String name, Function<? super T, ? extends Iterable<? extends R>> function) {
        return flatMap(name, function, StageOptions.sequential());
    }

    /**
     * Replaces each item with the elements of the {@link Iterable} that {@code function} returns (zero
     * or more). The outputs of one item stay together and in order; the accounting counts the fan-out.
     *
     * @param name     the stage's name
     * @param function the function from an item to its outputs
     * @param options  how the stage runs
     * @param <R>      the type of the outputs
     * @return the builder with the stage added
     */
    public <R> PipelineBuilder<R> flatMap(String name, Function<? super T, ? extends Iterable<? extends R>> function,
                                          StageOptions options) {
        return then(new FlatMapStage<T>(name, function, FlatMapStage.FanOut.ITERABLE, options));
    }

    /**
     * Replaces each item with the elements of the {@link Stream} that {@code function} returns; each
     * stream is closed once read.
     *
     * @param name     the stage's name
     * @param function the function from an item to its outputs
     * @param options  how the stage runs
     * @param <R>      the type of the outputs
     * @return the builder with the stage added
     */
    public <R> PipelineBuilder<R> flatMapStream(String name, Function<? super T, ? extends Stream<? extends R>> function,
                                                StageOptions options) {
        return then(new FlatMapStage<T>(name, function, FlatMapStage.FanOut.STREAM, options));
    }

    /**
     * Replaces each item with the items of the {@link Publisher} that {@code function} returns; one
     * item's publisher is read to its end before the next item's, with backpressure.
     *
     * @param name     the stage's name
     * @param function the function from an item to its outputs
     * @param options  how the stage runs
     * @param <R>      the type of the outputs
     * @return the builder with the stage added
     */
    public <R> PipelineBuilder<R> flatMapPublisher(String name,
                                                   Function<? super T, ? extends Publisher<? extends R>> function,
                                                   StageOptions options) {
        return then(new FlatMapStage<T>(name, function, FlatMapStage.FanOut.PUBLISHER, options));
    }

    /**
     * Groups consecutive items into lists of {@code size}; the last list holds what is left. A batch
     * stage runs sequentially and holds at most one list in memory.
     *
     * @param name the stage's name
     * @param size the largest list, at least 1
     * @return the builder with the stage added
     */
    public PipelineBuilder<List<T>> batch(String name, int size) {
        return then(new BatchStage(name, size, StageOptions.sequential()));
    }

    /**
     * Calls {@code action} on each item and passes it on unchanged, sequentially.
     *
     * @param name   the stage's name
     * @param action the action
     * @return the builder with the stage added
     */
    public PipelineBuilder<T> peek(String name, Consumer<? super T> action) {
        return peek(name, action, StageOptions.sequential());
    }

    /**
     * Calls {@code action} on each item and passes it on unchanged.
     *
     * @param name    the stage's name
     * @param action  the action
     * @param options how the stage runs
     * @return the builder with the stage added
     */
    public PipelineBuilder<T> peek(String name, Consumer<? super T> action, StageOptions options) {
        return then(new PeekStage<>(name, action, options));
    }

    /**
     * The escape hatch: hands the items, as a {@link Publisher}, to {@code transform} and continues with
     * the publisher it returns. The engine counts items in and out of the stage; everything else is
     * up to the function, which must obey the Reactive Streams rules (a Reactor {@code Flux} does).
     *
     * @param name      the stage's name
     * @param transform the function from the items to the outputs
     * @param <R>       the type of the outputs
     * @return the builder with the stage added
     */
    public <R> PipelineBuilder<R> via(String name, Function<? super Publisher<T>, ? extends Publisher<? extends R>> transform) {
        return then(new ViaStage<>(name, transform, StageOptions.sequential()));
    }

    /**
     * Folds the items by key with {@code aggregator}, with the {@linkplain AggregateOptions#defaults()
     * default options}, and emits one {@link KeyedResult} per distinct key in the keys' natural order
     * when the input ends. A word count:
     *
     * <pre>{@code
     * .flatMap("split", line -> List.of(line.split(" ")))
     * .aggregate("count-words", word -> word, Aggregators.count())   // KeyedResult<String, Long>
     * }</pre>
     *
     * <p>See {@link #aggregate(String, Function, Comparator, SpillCodec, Aggregator, AggregateOptions)}
     * for how the stage runs. Keys of type {@code String}, {@code Long}, {@code Integer} and
     * {@code Double} spill with built-in codecs; for other key types use that method with a key codec,
     * or {@link AggregateOptions#withoutSpilling()}: otherwise the run fails at its first item.
     *
     * @param name       the stage's name
     * @param key        the function from an item to its key, must not return {@code null}
     * @param aggregator what to compute per key
     * @param <K>        the type of the keys
     * @param <R>        the type of the per-key results
     * @return the builder with the stage added
     * @throws PipelineDefinitionException if the aggregator cannot spill (it has no accumulator codec)
     */
    public <K extends Comparable<? super K>, R> PipelineBuilder<KeyedResult<K, R>> aggregate(
            String name, Function<? super T, ? extends K> key, Aggregator<? super T, ?, R> aggregator) {
        return aggregate(name, key, aggregator, AggregateOptions.defaults());
    }

    /**
     * Folds the items by key with {@code aggregator} and emits one {@link KeyedResult} per distinct key
     * in the keys' natural order when the input ends. As
     * {@link #aggregate(String, Function, Aggregator)}, with options.
     *
     * @param name       the stage's name
     * @param key        the function from an item to its key, must not return {@code null}
     * @param aggregator what to compute per key
     * @param options    the memory bound, spilling and error policy
     * @param <K>        the type of the keys
     * @param <R>        the type of the per-key results
     * @return the builder with the stage added
     * @throws PipelineDefinitionException if the stage may spill but the aggregator has no accumulator codec
     */
    public <K extends Comparable<? super K>, R> PipelineBuilder<KeyedResult<K, R>> aggregate(
            String name, Function<? super T, ? extends K> key, Aggregator<? super T, ?, R> aggregator,
            AggregateOptions options) {
        return then(new AggregateStage<T, K, R>(name, key, Comparator.<K>naturalOrder(), Optional.empty(), aggregator,
                options));
    }

    /**
     * Folds the items by key with {@code aggregator} and emits one {@link KeyedResult} per distinct key,
     * in {@code keyOrder}, when the input ends.
     *
     * <ul>
     *   <li><b>Emits</b> nothing until its input completes; then the results, one per key, in key order,
     *       as fast as downstream asks.</li>
     *   <li><b>Backpressures</b> its input only while it spills (it takes items as fast as it can fold
     *       them), and emits only on demand.</li>
     *   <li><b>Completes</b> after the last key's result.</li>
     *   <li><b>Cancels</b> its input when the run fails or is cancelled, and deletes its spill files.</li>
     *   <li><b>Memory</b>: at most {@link AggregateOptions#maxKeysInMemory()} keys with their accumulators.
     *       Beyond that it sorts them by key, writes them to a spill file (a sorted run) and forgets them;
     *       at the end it merges the runs ({@link AggregateOptions#mergeFanIn()} files at once, in several
     *       passes if there are more) and emits the merged results as it reads them. Spill files are
     *       deleted when the run ends, whether it succeeds, fails or is cancelled.</li>
     *   <li><b>Errors</b>: an exception in {@code key} or in {@link Aggregator#add} goes to the stage's
     *       error policy ({@link AggregateOptions#withErrorPolicy}). A failure to spill (disk full, say),
     *       or in {@link Aggregator#merge} or {@link Aggregator#finish}, fails the run, naming the stage.</li>
     *   <li><b>Accounting</b>: an item counts as processed once folded into its key's accumulator; the
     *       results count as emitted.</li>
     * </ul>
     *
     * @param name       the stage's name
     * @param key        the function from an item to its key, must not return {@code null}
     * @param keyOrder   the order of the results, which must be consistent with the keys' {@code equals}
     * @param keyCodec   writes keys to spill files and reads them back
     * @param aggregator what to compute per key
     * @param options    the memory bound, spilling and error policy
     * @param <K>        the type of the keys
     * @param <R>        the type of the per-key results
     * @return the builder with the stage added
     * @throws PipelineDefinitionException if the stage may spill but the aggregator has no accumulator codec
     */
    public <K, R> PipelineBuilder<KeyedResult<K, R>> aggregate(String name, Function<? super T, ? extends K> key,
                                                              Comparator<? super K> keyOrder, SpillCodec<K> keyCodec,
                                                              Aggregator<? super T, ?, R> aggregator,
                                                              AggregateOptions options) {
        Objects.requireNonNull(keyCodec, "keyCodec");
        return then(new AggregateStage<T, K, R>(name, key, keyOrder, Optional.of(keyCodec), aggregator, options));
    }

    /**
     * Sends each item, as text, to a pool of worker processes and emits their answers, in order. As
     * {@link #process(String, ProcessWorkers, ItemCodec, StageOptions)} with {@link ItemCodec#text()}
     * and sequential (ordered) options.
     *
     * @param name    the stage's name
     * @param workers the worker processes
     * @return the builder with the stage added
     */
    public PipelineBuilder<String> process(String name, ProcessWorkers workers) {
        return process(name, workers, ItemCodec.text(), StageOptions.sequential());
    }

    /**
     * Sends each item, as text, to a pool of worker processes and emits their answers. As
     * {@link #process(String, ProcessWorkers, ItemCodec, StageOptions)} with {@link ItemCodec#text()}.
     *
     * @param name    the stage's name
     * @param workers the worker processes
     * @param options the order, buffers, error policy and per-item timeout (sequential options)
     * @return the builder with the stage added
     */
    public PipelineBuilder<String> process(String name, ProcessWorkers workers, StageOptions options) {
        return process(name, workers, ItemCodec.text(), options);
    }

    /**
     * Sends each item to a pool of long-lived worker processes, one line per item on a worker's standard
     * input, and emits the item its answer line decodes to: code in another language, or code to keep
     * apart in processes of its own (isolation, crashes, leaks, libraries that are not thread-safe).
     * A worker answers its items in the order it read them.
     *
     * <pre>{@code
     * .process("score", ProcessWorkers.of("python3", "score.py").withWorkers(4),
     *         JsonCodec.of(Score.class), StageOptions.sequential().withTimeout(Duration.ofSeconds(5)))
     * }</pre>
     *
     * <ul>
     *   <li><b>Emits</b> each answer, decoded, as soon as it arrives (in source order when the options
     *       are ordered, the default: an early answer then waits for the ones before it).</li>
     *   <li><b>Backpressures</b>: at most {@code workers x inFlightPerWorker} items are in the stage,
     *       each worker holding at most {@link ProcessWorkers#inFlightPerWorker()}; the stage asks for
     *       more items only as answers come. An item goes to the worker with the fewest in hand, so a
     *       slow worker does not stall the others.</li>
     *   <li><b>Completes</b> once every item is answered and every worker has exited after its input was
     *       closed (killed after {@link ProcessWorkers#stopTimeout()}).</li>
     *   <li><b>Cancels</b> its input, and stops the workers as at the end: no worker outlives the run.</li>
     *   <li><b>Errors</b>: a worker that exits or is killed before answering fails the item it was
     *       working on (its oldest unanswered item) with a {@link ProcessWorkerException} that carries
     *       its exit code and the last lines of its standard error, and is restarted; the other items it
     *       held go to other workers, not counted as failures. A malformed answer fails its item, and the
     *       worker goes on. A worker that takes longer than the options' {@link StageOptions#timeout()
     *       timeout} on an item is killed and restarted, and the item fails with a
     *       {@link java.util.concurrent.TimeoutException}. These failures, and exceptions of the codec,
     *       go to the stage's {@link ErrorPolicy} (fail, skip, dead-letter, retry). A command that cannot
     *       start, or workers that die {@link ProcessWorkers#restartLimit()} times in a row with no
     *       answer between, fail the run.</li>
     *   <li><b>Memory</b>: the items in the stage, plus {@code prefetch} in front of it.</li>
     * </ul>
     *
     * @param name    the stage's name
     * @param workers the worker processes
     * @param codec   turns items into lines and answers into items
     * @param options the order, buffers, error policy and per-item timeout; parallelism must be 1 (the
     *                workers are the parallelism)
     * @param <R>     the type of the answers
     * @return the builder with the stage added
     */
    public <R> PipelineBuilder<R> process(String name, ProcessWorkers workers, ItemCodec<? super T, ? extends R> codec,
                                          StageOptions options) {
        return then(new ProcessStage<T, R>(name, workers, codec, options));
    }

    /**
     * Ends the pipeline as a Reactive Streams {@link Publisher} of its results, for use in reactive code
     * of your own, on the engine found on the class path. Each subscription runs the source and stages
     * anew and delivers the last stage's items to the subscriber as it asks for them.
     *
     * @return a publisher of the results
     * @throws PipelineDefinitionException if the definition is not valid
     */
    public Publisher<T> toPublisher() {
        return toPublisher(PipelineEngine.discover());
    }

    /**
     * Ends the pipeline as a Reactive Streams {@link Publisher} of its results on the given engine.
     *
     * @param engine the engine that runs each subscription
     * @return a publisher of the results
     * @throws PipelineDefinitionException if the definition is not valid
     */
    public Publisher<T> toPublisher(PipelineEngine engine) {
        return Objects.requireNonNull(engine, "engine").publish(to(new SubscriberSink<T>()));
    }

    /**
     * Ends the pipeline with a sink and builds it, checking the whole definition: stage names must be
     * unique, and batch, via and aggregate stages sequential.
     *
     * @param sink where the results go
     * @param <R>  the type of the run's value
     * @return the immutable pipeline
     * @throws PipelineDefinitionException if the definition is not valid
     */
    public <R> Pipeline<R> to(Sink<? super T, R> sink) {
        return new Pipeline<>(pipelineName, source, stages, sink);
    }
}
