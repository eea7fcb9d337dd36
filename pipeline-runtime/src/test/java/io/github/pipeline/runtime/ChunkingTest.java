package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Chunking;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Chunks change how items travel, never which items arrive, how often, or in what order when asked. */
class ChunkingTest {

    private static final long ITEMS = 20_011; // not a multiple of any chunk size below

    private final ReactorEngine engine = ReactorEngine.create();

    static Stream<Arguments> chunkings() {
        return Stream.of(Chunking.off(), Chunking.ofSize(1), Chunking.ofSize(3), Chunking.ofSize(1000),
                        Chunking.ofSize(50_000), Chunking.auto(), Chunking.auto().withMaxSize(7))
                .flatMap(c -> Stream.of(Arguments.of(c, false), Arguments.of(c, true)))
                .flatMap(a -> Stream.of(Arguments.of(a.get()[0], a.get()[1], true),
                        Arguments.of(a.get()[0], a.get()[1], false)));
    }

    /**
     * A range's reads never wait, so it is read straight into chunks ({@link SourceChunks}); a stream's
     * items go to the chunker one by one ({@link FluxChunks}). Both must give the same items.
     */
    @ParameterizedTest(name = "{0} ordered={1} readInChunks={2}")
    @MethodSource("chunkings")
    void everyItemArrivesExactlyOnceAcrossChunkBoundaries(Chunking chunking, boolean ordered, boolean readInChunks) {
        StageOptions rails = StageOptions.parallel(3).withOrdered(ordered).withChunking(chunking);
        Source<Long> source = readInChunks ? Source.range(0, ITEMS)
                : Source.fromStream(() -> LongStream.range(0, ITEMS).boxed());
        RunResult<List<Long>> result = Pipeline.named("chunks")
                .from(source)
                .map("triple", x -> 3 * x, rails)
                .filter("odd-thirds", x -> (x / 3) % 2 == 1, rails)
                .peek("look", x -> { }, rails)
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        List<Long> expected = LongStream.range(0, ITEMS).filter(x -> x % 2 == 1).map(x -> 3 * x).boxed().toList();
        if (ordered) {
            assertThat(result.value()).containsExactlyElementsOf(expected);
        } else {
            assertThat(result.value()).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(result.stage("triple").processed()).isEqualTo(ITEMS);
        assertThat(result.stage("odd-thirds").filtered()).isEqualTo(ITEMS - expected.size());
    }

    @Test
    void orderedChunksStayInOrderUnderRandomDelays() {
        // items take from 0 to ~200us each, at random: rails finish chunks out of order all the time
        RunResult<List<Long>> result = Pipeline.named("jitter")
                .from(Source.range(0, 5_000))
                .map("spin", ChunkingTest::spinRandomly, StageOptions.parallel(2).withOrdered(true)
                        .withChunking(Chunking.auto().withMaxSize(64)))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).containsExactlyElementsOf(LongStream.range(0, 5_000).boxed().toList());
    }

    private static long spinRandomly(long x) {
        long nanos = new SplittableRandom(x).nextLong(200_000);
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            // busy, not sleeping nor yielding: this is a CPU rail
        }
        return x;
    }

    @Test
    void consecutiveStagesWithOtherPoliciesShareTheRailsAndEachItemsThread() {
        Map<Long, String> firstThread = new ConcurrentHashMap<>();
        Map<Long, String> secondThread = new ConcurrentHashMap<>();
        Pipeline.named("fused")
                .from(Source.range(0, 2_000))
                .peek("first", x -> firstThread.put(x, Thread.currentThread().getName()), StageOptions.parallel(2))
                .peek("second", x -> secondThread.put(x, Thread.currentThread().getName()),
                        StageOptions.parallel(2).withErrorPolicy(ErrorPolicy.skip()))
                .to(Sink.count())
                .run(engine)
                .verifyBalanced();

        assertThat(secondThread).isEqualTo(firstThread);
    }

    @Test
    void aFailureInsideAChunkNamesTheStageAndTheItemAndEndsTheRun() {
        assertThatThrownBy(() -> Pipeline.named("chunk-fails")
                .from(Source.range(0, ITEMS))
                .map("inverse", x -> 1 / (x - 12_345), StageOptions.parallel(2).withChunkSize(100))
                .to(Sink.count())
                .run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("'inverse'")
                .hasMessageContaining("12345")
                .hasRootCauseInstanceOf(ArithmeticException.class);
    }

    @Test
    void skippedItemsInsideChunksAreAccountedFor() {
        RunResult<Long> result = Pipeline.named("chunk-skips")
                .from(Source.range(0, ITEMS))
                .map("every-tenth-fails", x -> {
                    if (x % 10 == 0) {
                        throw new IllegalStateException("bad " + x);
                    }
                    return x;
                }, StageOptions.parallel(2).withChunkSize(64).withErrorPolicy(ErrorPolicy.skip()))
                .to(Sink.count())
                .run(engine)
                .verifyBalanced();

        assertThat(result.stage("every-tenth-fails").skipped()).isEqualTo((ITEMS + 9) / 10);
        assertThat(result.value()).isEqualTo(ITEMS - (ITEMS + 9) / 10);
    }

    @Test
    void aChunkIsAskedForOnlyWhenDemandedAndHoldsTheItemsOfOneRequest() {
        ChunkSizer sizer = new ChunkSizer(Chunking.ofSize(5));
        StepVerifier.create(new FluxChunks(Flux.range(0, 12).map(i -> (Object) i), sizer, true), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(10))
                .thenRequest(1)
                .assertNext(c -> assertThat(c).containsExactly(0, 1, 2, 3, 4))
                .thenRequest(2)
                .assertNext(c -> assertThat(c).containsExactly(5, 6, 7, 8, 9))
                .assertNext(c -> assertThat(c).containsExactly(10, 11))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aStalledSourceHasItsPartlyFilledChunkPassedOnOnceItsFirstItemHasWaitedTheLatencyBound() {
        ChunkSizer sizer = new ChunkSizer(Chunking.ofSize(100).withMaxLatency(Duration.ofMillis(1)));
        Sinks.Many<Object> items = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.create(new FluxChunks(items.asFlux(), sizer, false))
                .then(() -> items.tryEmitNext("a"))
                // nothing more arrives: the sweeper passes the chunk on
                .assertNext(c -> assertThat(c).containsExactly("a"))
                .then(() -> {
                    items.tryEmitNext("b");
                    items.tryEmitNext("c");
                    items.tryEmitComplete();
                })
                .recordWith(ArrayList::new)
                .thenConsumeWhile(c -> true)
                .consumeRecordedWith(chunks -> assertThat(chunks.stream().flatMap(List::stream)).containsExactly("b", "c"))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void theSweeperWatchesAChunkerUntilItsInputEndsOrItIsCancelled() {
        ChunkSizer sizer = new ChunkSizer(Chunking.ofSize(10));
        Sinks.Many<Object> ending = Sinks.many().unicast().onBackpressureBuffer();
        AtomicReference<org.reactivestreams.Subscription> first = new AtomicReference<>();
        StepVerifier.create(new FluxChunks(ending.asFlux(), sizer, false))
                .consumeSubscriptionWith(first::set)
                .then(() -> assertThat(ChunkSweeper.SHARED.watches((FluxChunks.ChunkingSubscriber) first.get())).isTrue())
                .then(() -> {
                    ending.tryEmitNext("x");
                    ending.tryEmitComplete();
                })
                .assertNext(c -> assertThat(c).containsExactly("x"))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(ChunkSweeper.SHARED.watches((FluxChunks.ChunkingSubscriber) first.get())).isFalse();

        AtomicReference<org.reactivestreams.Subscription> second = new AtomicReference<>();
        StepVerifier.create(new FluxChunks(Flux.never(), sizer, false))
                .consumeSubscriptionWith(second::set)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertThat(ChunkSweeper.SHARED.watches((FluxChunks.ChunkingSubscriber) second.get())).isFalse();
    }

    @Test
    void theSweeperPassesLateChunksOnButNeverAsksUpstreamForItemsOrRunsAStage() {
        // an upstream that emits inside request() (a merge's queue, then a sequential stage): asked from the
        // sweeper's thread, its stage would run there (a review found hundreds of such calls per run)
        AtomicInteger onSweeper = new AtomicInteger();
        int n = 10_000;
        for (int round = 0; round < 2; round++) {
            ChunkSizer sizer = new ChunkSizer(Chunking.ofSize(7).withMaxLatency(Duration.ofNanos(200_000)));
            SplittableRandom random = new SplittableRandom(round);
            Flux<Object> upstream = Flux.range(0, n)
                    .map(i -> {
                        if (random.nextInt(20) == 0) {
                            LockSupport.parkNanos(150_000 + random.nextInt(100_000)); // the source stalls now and then
                        }
                        return (Object) i;
                    })
                    .subscribeOn(Schedulers.boundedElastic(), true)
                    .buffer(5).publishOn(Schedulers.boundedElastic(), 4).concatMapIterable(list -> list, 4)
                    .map(item -> {
                        if (Thread.currentThread().getName().startsWith("pipeline-engine-chunk-sweeper")) {
                            onSweeper.incrementAndGet();
                        }
                        return item;
                    })
                    .doOnRequest(r -> {
                        if (Thread.currentThread().getName().startsWith("pipeline-engine-chunk-sweeper")) {
                            onSweeper.incrementAndGet();
                        }
                    });
            List<Long> indices = new CopyOnWriteArrayList<>();
            List<Object> out = new FluxChunks(upstream, sizer, true)
                    .doOnNext(chunk -> indices.add(chunk.index))
                    .publishOn(Schedulers.boundedElastic(), 2)
                    .concatMapIterable(chunk -> chunk, 1)
                    .collectList()
                    .block(Duration.ofMinutes(1));
            assertThat(out).containsExactlyElementsOf(IntStream.range(0, n).boxed().toList());
            assertThat(indices).isSorted().doesNotHaveDuplicates();
        }
        assertThat(onSweeper).hasValue(0);
    }

    /** A source that emits three items, then neither more nor its end until the run is cancelled. */
    private static Source<Long> threeThenSilence() {
        return Source.fromPublisher(Flux.just(1L, 2L, 3L).concatWith(Flux.never()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stallingStages")
    void itemsBeforeALongPauseInTheSourceReachTheSinkWithoutWaitingForTheNextItem(String layout, StageOptions options)
            throws Exception {
        java.util.concurrent.CountDownLatch three = new CountDownLatch(3);
        Execution<Long> execution = Pipeline.named("stalling")
                .from(threeThenSilence())
                .map("inc", x -> x + 1, options)
                .to(Sink.forEach(x -> three.countDown()))
                .start(engine);
        try {
            assertThat(three.await(30, TimeUnit.SECONDS)).as(layout).isTrue();
        } finally {
            execution.cancel();
        }
        assertThatThrownBy(execution::await).isInstanceOf(PipelineCancelledException.class);
    }

    static Stream<Arguments> stallingStages() {
        return Stream.of(
                Arguments.of("sequential: chunks of the hand-off to the sink", StageOptions.sequential()),
                Arguments.of("rails with chunks of 100", StageOptions.parallel(2).withChunkSize(100)),
                Arguments.of("automatic chunks", StageOptions.parallel(2)));
    }

    @Test
    void automaticSizesFollowTheMeasuredCostPerItem() {
        ChunkSizer sizer = new ChunkSizer(Chunking.auto().withTarget(Duration.ofNanos(100_000)).withMaxSize(1024));
        assertThat(sizer.size()).isEqualTo(16); // small until something is measured

        for (int i = 0; i < 50; i++) {
            sizer.record(100, 100 * 10); // 10 ns per item: the largest chunk
        }
        assertThat(sizer.size()).isEqualTo(1024);

        for (int i = 0; i < 50; i++) {
            sizer.record(10, 10 * 1_000); // 1 us per item: about 100 per chunk
        }
        assertThat(sizer.size()).isBetween(95, 105);

        for (int i = 0; i < 50; i++) {
            sizer.record(1, 5_000_000); // 5 ms per item: one at a time
        }
        assertThat(sizer.size()).isEqualTo(1);
    }

    @Test
    void optionsValidateChunkSizes() {
        assertThatThrownBy(() -> Chunking.ofSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Chunking.ofSize(10).withMaxSize(5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(StageOptions.parallel(2).chunking()).isEqualTo(Chunking.auto());
        assertThat(StageOptions.blocking(2).chunking()).isEqualTo(Chunking.off());
        assertThat(StageOptions.parallel(2).withChunkSize(1).chunking()).isEqualTo(Chunking.off());
    }
}
