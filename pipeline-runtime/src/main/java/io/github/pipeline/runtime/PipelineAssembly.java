package io.github.pipeline.runtime;

import io.github.pipeline.api.AggregateStage;
import io.github.pipeline.api.BatchStage;
import io.github.pipeline.api.Chunking;
import io.github.pipeline.api.ExecutorKind;
import io.github.pipeline.api.FilterStage;
import io.github.pipeline.api.FlatMapStage;
import io.github.pipeline.api.MapStage;
import io.github.pipeline.api.PipelineDefinitionException;
import io.github.pipeline.api.PeekStage;
import io.github.pipeline.api.ProcessStage;
import io.github.pipeline.api.Stage;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.ViaStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.ParallelFlux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Wires a pipeline into one {@link Flux}: the source, then each stage, without the sink.
 *
 * <p>Consecutive stages with equal parallel options form one rail segment:
 * {@code parallel(n, prefetch).runOn(scheduler, prefetch)}, every stage of the segment applied on the
 * rails, then one {@code sequential()} (or, when ordered, an {@link OrderedMerge} by source index, which
 * measures head-of-line blocking on the clock of the segment's last stage). CPU-bound rails run
 * on {@code Schedulers.parallel()}; blocking segments on threads of their own, as many as their
 * parallelism. A sequential blocking stage moves to a thread of its own too, so no blocking call ever
 * runs on a CPU rail.
 */
final class PipelineAssembly {

    private final RunState state;
    private final RunResources resources;
    /** The chunks of the last segment assembled, before they are taken apart, when it is a chunked one. */
    private Flux<Chunk> lastChunks;
    /** The largest chunk of {@link #lastChunks}. */
    private int lastChunkSize;

    PipelineAssembly(RunState state, RunResources resources) {
        this.state = state;
        this.resources = resources;
    }

    /**
     * The size of the chunks in which items go to the sink's thread when the last segment does not move
     * chunks itself. One item per hand-off cost about 150 ns an item on a 2-core machine (the receiving
     * thread kept running dry, parking and being woken); chunks cost one wake-up each, about 5 us there,
     * so larger chunks pay: a sequential pipeline of {@code x * x * x} over 2 million longs took 730-770 ms
     * handing over single items, 370-390 ms in chunks of 64, 300-330 in chunks of 128 and 220-330 in
     * chunks of 256 (plain main, median of 10 runs after 10).
     */
    static final int HAND_OFF_CHUNK = 256;

    /**
     * Assembles the run's items, ending on the run's thread of the sink or subscriber, to which they are
     * handed in chunks, taken apart on that thread one at a time. When the last segment moves chunks, its
     * own chunks go; otherwise chunks of up to {@link #HAND_OFF_CHUNK} items, each sent as soon as it is
     * full, or its first item has waited {@link Chunking#DEFAULT_MAX_LATENCY}, or the input ends. The
     * thread's queue holds {@code max(2, prefetch / chunk size)} chunks; with one chunk being filled and
     * one being taken apart, at most four chunks' items are between the last stage and the sink.
     */
    Flux<Object> assembleOn(Scheduler deliveryThread, int prefetch) {
        return takeApart(assembleChunksOn(deliveryThread, prefetch), 1);
    }

    /**
     * As {@link #assembleOn}, leaving the chunks whole for a subscriber that takes them apart itself
     * (the run's sink): chunk by chunk, each holding items and at most one {@link RailFailure}, last.
     */
    Flux<Chunk> assembleChunksOn(Scheduler deliveryThread, int prefetch) {
        Flux<Chunk> chunks;
        int chunkSize;
        if (state.pipeline.stages().isEmpty() && SourceChunks.fits(state)) {
            chunkSize = HAND_OFF_CHUNK;
            chunks = sourceChunks(new ChunkSizer(Chunking.ofSize(chunkSize)), false, null);
        } else {
            Flux<Object> items = assemble();
            chunks = lastChunks;
            chunkSize = lastChunkSize;
            if (chunks == null) {
                chunkSize = HAND_OFF_CHUNK;
                chunks = new FluxChunks(items, new ChunkSizer(Chunking.ofSize(chunkSize)), false, state.checkpointer);
            }
        }
        int queued = Math.max(2, prefetch / chunkSize);
        return chunks.publishOn(deliveryThread, queued);
    }

    private static Flux<Object> takeApart(Flux<Chunk> chunks, int prefetch) {
        return chunks.concatMapIterable(chunk -> chunk, prefetch).map(RailFailure::rethrow);
    }

    /**
     * Assembles the run's items. The source's items are made when the first stage takes them, as items,
     * or, when the first stage begins a chunked segment and the source fits ({@link SourceChunks#fits}),
     * read from the source in that segment's chunks.
     */
    Flux<Object> assemble() {
        List<Stage> stages = state.pipeline.stages();
        Flux<Object> flux = null;
        int i = 0;
        while (i < stages.size()) {
            StageOptions options = stages.get(i).options();
            if (!options.isParallel() && flux == null && SourceChunks.fits(state)) {
                List<StageTranslator> run = sequentialChunkedRun(stages, i);
                if (!run.isEmpty()) {
                    flux = sequentialChunks(run);
                    i += run.size();
                    continue;
                }
            }
            if (!options.isParallel()) {
                lastChunks = null;
                flux = items(flux);
                if (options.executor().mayBlock()) {
                    flux = flux.publishOn(resources.newBlockingScheduler(stages.get(i).name(), 1), options.prefetch());
                }
                flux = translator(i).onFlux(flux);
                i++;
                continue;
            }
            int end = i + 1;
            while (end < stages.size() && sharesRails(options, stages.get(end).options())) {
                end++;
            }
            lastChunks = null;
            List<StageTranslator> segment = new ArrayList<>();
            for (int k = i; k < end; k++) {
                segment.add(translator(k));
            }
            HeadOfLineClock headOfLine = state.stages.get(end - 1).headOfLine;
            if (flux == null && chunked(options, segment) && SourceChunks.fits(state)) {
                ChunkSizer sizer = new ChunkSizer(options.chunking());
                Flux<Chunk> chunks = failureAsLastChunk(sourceChunks(sizer, options.ordered(), null), options.ordered());
                flux = chunkedRails(chunks, sizer, segment, options, railScheduler(options, stages.get(i).name()),
                        headOfLine);
            } else {
                flux = rails(items(flux), segment, options, stages.get(i).name(), headOfLine);
            }
            i = end;
        }
        return items(flux);
    }

    /**
     * The sequential map, filter and peek stages without retries that do not block, from {@code start}
     * on: they can run over chunks read from the source, on the source's thread, as they would item by
     * item there. Empty if the stage at {@code start} is not one.
     */
    private List<StageTranslator> sequentialChunkedRun(List<Stage> stages, int start) {
        List<StageTranslator> run = new ArrayList<>();
        for (int k = start; k < stages.size(); k++) {
            Stage stage = stages.get(k);
            StageOptions options = stage.options();
            if (options.isParallel() || options.executor().mayBlock()
                    || !(stage instanceof MapStage || stage instanceof FilterStage || stage instanceof PeekStage)) {
                break;
            }
            StageTranslator translator = translator(k);
            if (!((ItemStage) translator).runsInChunks()) {
                break;
            }
            run.add(translator);
        }
        return run;
    }

    /**
     * A run of sequential stages fused into one step over chunks of the source's items, on the source's
     * thread: the chunks hold about {@link Chunking#DEFAULT_TARGET} of the stages' work, at most
     * {@link #HAND_OFF_CHUNK} items, are passed on early once the stages have spent the latency bound on
     * one (the rest waits for the next), and go on to the sink as they are. Item by item, a sequential
     * {@code x * x * x} over 2 million longs took ~170 ns an item, most of it in the Reactor signals and
     * the counts of each item.
     */
    private Flux<Object> sequentialChunks(List<StageTranslator> run) {
        ChunkSizer sizer = new ChunkSizer(Chunking.auto().withMaxSize(HAND_OFF_CHUNK));
        ChunkedSegment segment = new ChunkedSegment(run.stream().map(ItemStage.class::cast).toList(), sizer);
        Flux<Chunk> chunks = sourceChunks(sizer, false, segment);
        lastChunks = chunks;
        lastChunkSize = HAND_OFF_CHUNK;
        return takeApart(chunks, 1);
    }

    /** {@code flux}, or the source's items when no stage has taken them yet ({@code flux} is null). */
    private Flux<Object> items(Flux<Object> flux) {
        if (flux != null) {
            return flux;
        }
        return state.sourceDemand.watch(new SourceFlux(state, resources.newScheduler("source", 1), state.sourceProbe)
                .ofPipelineSource()
                .doOnNext(item -> state.sourceItems.increment()));
    }

    /**
     * The source's items read straight into chunks on the run's source thread, each run through the
     * {@code fused} sequential stages there when not null (see {@link SourceChunks}).
     */
    private Flux<Chunk> sourceChunks(ChunkSizer sizer, boolean indexed, ChunkedSegment fused) {
        return state.sourceDemand.watch(new SourceChunks(state, resources.newScheduler("source", 1), state.sourceProbe)
                .chunks(sizer, indexed, fused));
    }

    /**
     * The chunks, with their error signal (a source that could not be opened; a read's failure is already
     * a last item) turned into a last chunk holding the failure, numbered after the chunks before it: rails
     * take failures as items (see {@link RailFailure}), and an ordered merge waits for every number.
     */
    private Flux<Chunk> failureAsLastChunk(Flux<Chunk> chunks, boolean indexed) {
        long[] next = {0}; // the number after the last chunk's; written and read by the source's signals only
        Flux<Object> numbered = chunks.doOnNext(chunk -> next[0] = chunk.index + 1).map(Object.class::cast);
        return new FluxFailureAsItem(numbered, error -> {
            Chunk last = new Chunk(1, indexed ? next[0] : -1);
            last.add(railFailure(error));
            return last;
        }).map(Chunk.class::cast);
    }

    /** Whether a segment runs on chunks: chunking is on, no order key, and only map, filter and peek without retries. */
    private static boolean chunked(StageOptions options, List<StageTranslator> segment) {
        return options.orderKey().isEmpty() && options.chunking().isOn() && ChunkedSegment.fits(segment);
    }

    /**
     * Whether the stage at {@code index} is the last of a parallel segment that keeps source order: an
     * {@link OrderedMerge} follows it, which measures head-of-line blocking on its clock.
     */
    static boolean endsOrderedSegment(List<Stage> stages, int index) {
        StageOptions options = stages.get(index).options();
        return options.isParallel() && options.ordered()
                && (index + 1 == stages.size() || !sharesRails(options, stages.get(index + 1).options()));
    }

    /**
     * Whether a stage with options {@code next} runs on the rails of the stage before it: the same
     * parallelism, executor, order, buffers and chunking (error policies and timeouts may differ).
     */
    private static boolean sharesRails(StageOptions first, StageOptions next) {
        return next.isParallel()
                && Objects.equals(first.orderKey(), next.orderKey())
                && first.parallelism() == next.parallelism()
                && first.executor() == next.executor()
                && first.ordered() == next.ordered()
                && first.prefetch() == next.prefetch()
                && first.chunking().equals(next.chunking());
    }

    /**
     * The rails of one segment; when it keeps source order, its merge measures head-of-line blocking on
     * {@code headOfLine}, the clock of the segment's last stage.
     */
    private Flux<Object> rails(Flux<Object> in, List<StageTranslator> segment, StageOptions options, String firstStage,
                               HeadOfLineClock headOfLine) {
        int n = options.parallelism();
        int prefetch = options.prefetch();
        boolean ordered = options.ordered();
        if (options.executor() == ExecutorKind.BLOCKING && options.orderKey().isEmpty() && !options.chunking().isOn()
                && ChunkedSegment.fits(segment)) {
            return sharedQueueCalls(in, segment, options, firstStage, headOfLine);
        }
        Scheduler scheduler = railScheduler(options, firstStage);
        if (options.orderKey().isPresent()) {
            return keyedRails(in, segment, options, scheduler, firstStage);
        }
        Flux<Object> guarded = failuresAsItems(in);
        if (chunked(options, segment)) {
            ChunkSizer sizer = new ChunkSizer(options.chunking());
            // No queue in front of the chunker: it asks for a chunk's items at a time, and the rails'
            // buffers ask for several chunks at once (chunksPerBuffer), so the thread upstream is woken once
            // per few chunks. (A read-ahead queue of prefetch items there cost ~20 ns an item on the source's
            // thread: the cheap workload took 220-228 ms per 2 million items with it, 184-193 without.)
            return chunkedRails(new FluxChunks(guarded, sizer, ordered, state.checkpointer), sizer, segment, options,
                    scheduler, headOfLine);
        }
        if (ordered && state.checkpointer != null && !gapFree(segment)) {
            throw new PipelineDefinitionException("Pipeline '" + state.pipelineName() + "' cannot take checkpoints:"
                    + " stage '" + firstStage + "' keeps source order on parallel rails item by item (not chunked)"
                    + " and may leave an item without exactly one output (a filter, flatMap, or a skip or"
                    + " dead-letter policy): past such an item the ordered merge holds the next ones back until"
                    + " every rail has a later one, so the run may never drain for a checkpoint; make the stage"
                    + " unordered or sequential, or chunk it (map, filter, peek without retries)");
        }
        Flux<Object> source = ordered ? guarded.index(Indexed::new) : guarded;
        // A blocking rail takes one item at a time: items go to whichever call ends first, as from an
        // executor's shared queue, instead of being dealt round-robin into per-rail queues where one slow
        // call holds up the items behind it while other threads idle. (A hand-off per item is nothing
        // next to a blocking call.) The parallel() queue still reads ahead by prefetch.
        int railPrefetch = options.executor().mayBlock() ? 1 : prefetch;
        ParallelFlux<Object> rails = source.parallel(n, prefetch).runOn(scheduler, railPrefetch);
        for (StageTranslator stage : segment) {
            rails = stage.onRails(rails, ordered);
        }
        Flux<Object> merged = ordered
                ? OrderedMerge.ofItems(rails, oneOutputPerItem(segment), prefetch, headOfLine)
                        .map(tagged -> ((Indexed) tagged).value())
                : rails.sequential(prefetch);
        return merged.map(RailFailure::rethrow);
    }

    /** The threads a segment's rails run on: the shared CPU workers, or threads of the run's own. */
    private Scheduler railScheduler(StageOptions options, String firstStage) {
        return switch (options.executor()) {
            case CPU_BOUND -> Schedulers.parallel();
            case BLOCKING -> resources.newBlockingScheduler(firstStage, options.parallelism());
            case VIRTUAL_THREADS -> resources.newVirtualThreadScheduler(firstStage);
        };
    }

    /** The segment's input, its failure turned into a last item that flows down the rails (see {@link RailFailure}). */
    private Flux<Object> failuresAsItems(Flux<Object> in) {
        return new FluxFailureAsItem(in, this::railFailure);
    }

    private Object railFailure(Throwable failure) {
        return RailFailure.of(state.pipelineName(), failure);
    }

    /**
     * A blocking segment of map, filter and peek stages without retries or chunks, as one operator that
     * hands each item to the stage's threads through their shared queue ({@link FluxSharedQueueCalls})
     * instead of rails: at most {@code parallelism + prefetch} items are between its input and its output,
     * and, when ordered, results leave in source order with head-of-line blocking measured on
     * {@code headOfLine}.
     */
    private Flux<Object> sharedQueueCalls(Flux<Object> in, List<StageTranslator> segment, StageOptions options,
                                          String firstStage, HeadOfLineClock headOfLine) {
        List<ItemStage> stages = segment.stream().map(ItemStage.class::cast).toList();
        ExecutorService threads = resources.newBlockingExecutor(firstStage, options.parallelism());
        return new FluxSharedQueueCalls(failuresAsItems(in), ChunkedSegment.perItem(stages), this::railFailure,
                threads, options.parallelism() + options.prefetch(), options.ordered(), headOfLine)
                .map(RailFailure::rethrow);
    }

    /**
     * Whether every stage of a segment turns each item into exactly one (a map or peek that drops nothing):
     * source positions then reach the ordered merge without gaps, and it lets every result out in turn.
     */
    private static boolean gapFree(List<StageTranslator> segment) {
        return segment.stream().allMatch(stage -> stage instanceof ItemStage item && !item.dropsItems());
    }

    /** Whether every stage of a segment turns one item into at most one (map, filter, peek): no fan-out. */
    private static boolean oneOutputPerItem(List<StageTranslator> segment) {
        return segment.stream().allMatch(ItemStage.class::isInstance);
    }

    /**
     * The rails of a segment that keeps order per key: each item goes to the rail its key hashes to
     * ({@code groupBy} into exactly as many groups as rails, so every group is always subscribed and none
     * can starve the others), and each rail runs the segment's stages one item at a time, in arrival order,
     * on a worker of the segment's scheduler. Items of one key keep their order; rails interleave. A key
     * function that throws fails the run, naming the stage and the item.
     */
    private Flux<Object> keyedRails(Flux<Object> in, List<StageTranslator> segment, StageOptions options,
                                    Scheduler scheduler, String firstStage) {
        int n = options.parallelism();
        int prefetch = options.prefetch();
        Function<Object, ?> key = options.orderKey().orElseThrow();
        int railPrefetch = options.executor().mayBlock() ? 1 : prefetch;
        // groupBy passes an error from upstream to every group as well as on: the groups' copies are not
        // new failures (flatMap would report each as dropped), so they end their group quietly
        AtomicReference<Throwable> upstreamError = new AtomicReference<>();
        return in.map(item -> new Routed(railOf(key, item, n, firstStage), item))
                .doOnError(upstreamError::set)
                .groupBy(Routed::rail, Routed::item, prefetch)
                .flatMap(rail -> {
                    Flux<Object> items = rail.publishOn(scheduler, railPrefetch);
                    for (StageTranslator stage : segment) {
                        items = stage.onFlux(items);
                    }
                    return items.onErrorResume(e -> e == upstreamError.get() ? Flux.empty() : Flux.error(e));
                }, n, prefetch);
    }

    /** An item and the rail its key hashes to. */
    private record Routed(int rail, Object item) {
    }

    private int railOf(Function<Object, ?> key, Object item, int rails, String stage) {
        Object k;
        try {
            k = key.apply(item);
        } catch (RuntimeException e) {
            throw StageFailures.of(state.pipelineName(), stage, item,
                    new IllegalArgumentException("its order key cannot be read: " + e, e));
        }
        return Math.floorMod(Objects.hashCode(k), rails);
    }

    /** The fewest chunks a buffer of a chunked segment holds; see {@link #chunksPerBuffer}. */
    static final int MIN_CHUNKS_PER_BUFFER = 8;

    /**
     * The chunks each buffer of a chunked segment holds: {@code max(8, prefetch / maxChunk)}. Eight, not
     * two: with two, a rail that finished its chunks often found the next one not yet cut (the chunker
     * waits for the source's thread to read), parked, and was woken once per chunk; automatic chunks of
     * about 40 items of 5 us work then took 714 ms for 200,000 items against 579 ms with eight, and the
     * CSV workload 350 against 310 ms (JMH, quiet 2-core machine; the cheap workload unchanged within its
     * noise). The price is more items in flight: up to eight chunks per buffer.
     */
    static int chunksPerBuffer(int prefetch, int maxChunk) {
        return Math.max(MIN_CHUNKS_PER_BUFFER, prefetch / maxChunk);
    }

    /**
     * The rails of a chunked segment: chunks go to the rails, each rail runs the whole segment on a
     * chunk, and the chunks are merged (in chunk order when ordered) and taken apart again. Each buffer
     * holds {@link #chunksPerBuffer} chunks.
     */
    private Flux<Object> chunkedRails(Flux<Chunk> in, ChunkSizer sizer, List<StageTranslator> segment,
                                      StageOptions options, Scheduler scheduler, HeadOfLineClock headOfLine) {
        List<ItemStage> stages = segment.stream().map(ItemStage.class::cast).toList();
        ChunkedSegment run = new ChunkedSegment(stages, sizer);
        int chunks = chunksPerBuffer(options.prefetch(), sizer.maxSize());
        ParallelFlux<Chunk> rails = in
                .parallel(options.parallelism(), chunks)
                .runOn(scheduler, chunks)
                .map(run::run);
        Flux<Chunk> merged = options.ordered()
                ? OrderedMerge.ofChunks(rails, chunks, headOfLine)
                : rails.sequential(chunks);
        lastChunks = merged;
        lastChunkSize = sizer.maxSize();
        return takeApart(merged, chunks);
    }

    private StageTranslator translator(int index) {
        Stage stage = state.pipeline.stages().get(index);
        StageCounters counters = state.stages.get(index);
        String pipeline = state.pipelineName();
        ItemFailureHandler failures = new ItemFailureHandler(pipeline, counters, stage.options().errorPolicy(),
                state.deadLetters.get(index));
        if (stage instanceof MapStage<?, ?> map) {
            return new StageMap(map, counters, failures, resources.timer(), state.firstFailure);
        }
        if (stage instanceof FilterStage<?> filter) {
            return new StageFilter(filter, counters, failures, resources.timer(), state.firstFailure);
        }
        if (stage instanceof FlatMapStage<?> flatMap) {
            return new StageFlatMap(flatMap, counters, failures, resources.timer(), state.firstFailure);
        }
        if (stage instanceof PeekStage<?> peek) {
            return new StagePeek(peek, counters, failures, resources.timer(), state.firstFailure);
        }
        if (stage instanceof BatchStage batch) {
            return new StageBatch(batch, counters);
        }
        if (stage instanceof ViaStage<?, ?> via) {
            return new StageVia(pipeline, via, counters);
        }
        if (stage instanceof AggregateStage<?, ?, ?> aggregate) {
            return new StageAggregate(pipeline, aggregate, counters, failures, resources);
        }
        if (stage instanceof ProcessStage<?, ?> process) {
            return new StageProcess(pipeline, process, counters, failures, resources);
        }
        throw new IllegalStateException("unknown stage kind: " + stage.getClass().getName());
    }
}
