package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.ParallelFlux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/**
 * {@link OrderedMerge}: source order restored under any timing, the next position emitted as soon as it
 * is known to be next, head-of-line stalls measured only while downstream asks for more, bounded buffers,
 * errors and cancellation. The rails are test publishers, so every interleaving is chosen by the test.
 */
class OrderedMergeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final TestPublisher<Object> rail0 = TestPublisher.create();
    private final TestPublisher<Object> rail1 = TestPublisher.create();
    private final HeadOfLineClock clock = new HeadOfLineClock();

    /** Items through stages that may fan out: several values per position. */
    private Flux<Object> fannedOut(int prefetch) {
        return OrderedMerge.ofItems(ParallelFlux.from(rail0, rail1), false, prefetch, clock);
    }

    /** Items through map, filter, peek: at most one value per position. */
    private Flux<Object> items(int prefetch) {
        return OrderedMerge.ofItems(ParallelFlux.from(rail0, rail1), true, prefetch, clock);
    }

    private Flux<Chunk> chunks() {
        return OrderedMerge.ofChunks(ParallelFlux.from(rail0, rail1).map(Chunk.class::cast), 4, clock);
    }

    private static Indexed item(long index) {
        return new Indexed(index, "item " + index);
    }

    private static Chunk chunk(long index) {
        Chunk chunk = new Chunk(1, index);
        chunk.add(index);
        return chunk;
    }

    @Test
    void itemsOfRandomlySlowRailsWithGapsAndFanOutComeOutInSourceOrder() {
        // 4 rails, an item in 7 dropped (gaps), every kept item fanned out to two outputs of its index
        Flux<Object> rails = Flux.range(0, 3_000).map(i -> (Object) new Indexed(i, (long) i))
                .parallel(4, 8).runOn(Schedulers.parallel(), 8)
                .filter(tagged -> ((Indexed) tagged).index() % 7 != 3)
                .flatMap(tagged -> {
                    spinRandomly(((Indexed) tagged).index());
                    return Flux.just(tagged, tagged);
                }, false, 1, 8)
                .as(parallel -> OrderedMerge.ofItems(parallel, false, 8, clock));
        List<Long> expected = LongStream.range(0, 3_000).filter(i -> i % 7 != 3)
                .flatMap(i -> LongStream.of(i, i)).boxed().toList();

        StepVerifier.create(rails.map(tagged -> ((Indexed) tagged).index()))
                .expectNextSequence(expected)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void chunksOfRandomlySlowRailsComeOutInSourceOrder() {
        Flux<Chunk> merged = Flux.range(0, 2_000).map(i -> chunk(i))
                .parallel(3, 4).runOn(Schedulers.parallel(), 4)
                .map(c -> {
                    spinRandomly(c.index);
                    return c;
                })
                .as(parallel -> OrderedMerge.ofChunks(parallel, 4, clock));

        StepVerifier.create(merged.map(c -> c.index))
                .expectNextSequence(LongStream.range(0, 2_000).boxed().toList())
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void aLaterResultWaitsForTheEarlierOneAndTheWaitIsAStall() {
        StepVerifier.create(items(4))
                .then(() -> rail1.next(item(1)))
                .then(() -> assertThat(clock.stalls()).isEqualTo(1))
                .then(() -> rail0.next(item(0)))
                .expectNext(item(0), item(1))
                .then(() -> {
                    rail0.complete();
                    rail1.complete();
                })
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(clock.isAttached()).isTrue();
        assertThat(clock.stalls()).isEqualTo(1);
        assertThat(clock.stalledNanos()).isPositive();
    }

    @Test
    void waitingForDownstreamIsNotAStall() {
        StepVerifier.create(items(4), 0)
                .then(() -> rail1.next(item(1)))
                .then(() -> rail0.next(item(0)))
                .then(() -> assertThat(clock.stalls()).isZero())
                .thenRequest(2)
                .expectNext(item(0), item(1))
                .thenCancel()
                .verify(TIMEOUT);

        assertThat(clock.stalls()).isZero();
        assertThat(clock.stalledNanos()).isZero();
    }

    @Test
    void theNextChunkGoesOutWithoutWaitingForTheOtherRails() {
        StepVerifier.create(chunks().map(c -> c.index))
                .then(() -> rail0.next(chunk(0)))
                .expectNext(0L) // rail 1 has shown nothing yet
                .then(() -> rail1.next(chunk(1)))
                .expectNext(1L) // rail 0 has not completed
                .then(() -> rail1.next(chunk(3))) // chunk 2 may still come from rail 0: held
                .then(() -> rail0.next(chunk(2)))
                .expectNext(2L, 3L)
                .thenCancel()
                .verify(TIMEOUT);

        assertThat(clock.stalls()).isEqualTo(1);
        rail0.assertCancelled();
        rail1.assertCancelled();
    }

    @Test
    void anItemAfterTheLastOneGoesOutOnceTheRailOfTheLastOneHasMovedPastIt() {
        StepVerifier.create(fannedOut(4).map(tagged -> ((Indexed) tagged).index()))
                .then(() -> rail0.next(item(0)))
                .expectNext(0L)
                .then(() -> rail1.next(item(1))) // rail 0 may still fan item 0 out: held
                .then(() -> rail0.next(item(0)))
                .expectNext(0L)
                .then(() -> rail0.next(item(2)))
                .expectNext(1L) // rail 0 has moved past item 0
                .then(rail1::complete)
                .expectNext(2L)
                .then(() -> rail1.assertWasNotCancelled())
                .then(() -> rail0.next(item(5))) // items 3 and 4 were dropped: a gap, then rail 1 is done
                .expectNext(5L)
                .then(rail0::complete)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void eachRailIsAskedForNoMoreThanThePrefetchAndForMoreOnlyAsItsResultsLeave() {
        StepVerifier.create(fannedOut(4), 0)
                .then(() -> {
                    rail0.assertMinRequested(4).assertMaxRequested(4);
                    rail1.assertMinRequested(4).assertMaxRequested(4);
                    rail0.next(item(0), item(2), item(4), item(6));
                })
                .then(() -> rail0.assertMaxRequested(0)) // all 4 held here: no more asked for
                .thenRequest(10)
                .then(() -> rail1.next(item(1), item(3), item(5)))
                .expectNextCount(6) // 0..5; 6 waits while rail 1 may still fan item 5 out
                .then(() -> rail0.assertMinRequested(3).assertMaxRequested(3)) // 3 of rail 0's left: 3 more
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void aRailThatDeliversMoreThanItWasAskedForFailsTheMerge() {
        TestPublisher<Object> unruly = TestPublisher.createNoncompliant(TestPublisher.Violation.REQUEST_OVERFLOW);
        Flux<Object> merged = OrderedMerge.ofItems(ParallelFlux.from(unruly, rail1), true, 2, clock);

        StepVerifier.create(merged, 0)
                .then(() -> unruly.next(item(0), item(2), item(4), item(6), item(8), item(10), item(12), item(14),
                        item(16), item(18), item(20), item(22)))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("more than the 2 values"))
                .verify(TIMEOUT);
        rail1.assertCancelled();
    }

    @Test
    void theFirstErrorOfARailCancelsTheOthersAndEndsTheMerge() {
        StepVerifier.create(items(4))
                .then(() -> rail1.next(item(1)))
                .then(() -> rail0.error(new IllegalStateException("rail 0 broke")))
                .expectErrorMessage("rail 0 broke")
                .verify(TIMEOUT);

        rail1.assertCancelled();
        assertThat(clock.stalledNanos()).isPositive(); // the stall under way ended with the merge
    }

    @Test
    void cancellingCancelsEveryRail() {
        StepVerifier.create(items(4))
                .then(() -> rail1.next(item(1)))
                .thenCancel()
                .verify(TIMEOUT);

        rail0.assertCancelled();
        rail1.assertCancelled();
    }

    private static void spinRandomly(long seed) {
        long nanos = new SplittableRandom(seed).nextLong(50_000);
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            // busy, not sleeping nor yielding (BlockHound counts onSpinWait as blocking): these are CPU rails
        }
    }
}
