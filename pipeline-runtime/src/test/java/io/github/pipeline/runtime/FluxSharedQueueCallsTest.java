package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * A blocking segment as one operator over a shared queue: every item's result exactly once, source order
 * when asked (under random delays), the demand and the window respected, cancellation and refusal.
 */
class FluxSharedQueueCallsTest {

    private static final int THREADS = 4;
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static Flux<Object> items(int count) {
        return Flux.range(0, count).map(i -> (Object) i);
    }

    /** Doubles odd numbers after a random pause of up to 2 ms; drops even ones, as a filter would. */
    private static UnaryOperator<Object> slowDoubleOdd(long seed) {
        SplittableRandom seeds = new SplittableRandom(seed);
        return item -> {
            int i = (Integer) item;
            sleepMicros(new SplittableRandom(seeds.split().nextLong() + i).nextInt(2_000));
            return i % 2 == 1 ? (Object) (2 * i) : ItemStage.DROPPED;
        };
    }

    private static void sleepMicros(int micros) {
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private FluxSharedQueueCalls calls(Flux<Object> source, UnaryOperator<Object> call, int window, boolean ordered,
                                      HeadOfLineClock clock) {
        return new FluxSharedQueueCalls(source, call, FluxSharedQueueCallsTest::failureItem, threads, window, ordered, clock);
    }

    private static Object failureItem(Throwable e) {
        return new RailFailure(new IllegalStateException("the call threw", e));
    }

    @Test
    void aCallThatThrowsAllTheSameGivesItsItemAFailureResultAndTheFluxEnds() {
        StepVerifier.create(calls(items(3), item -> {
                    if ((Integer) item == 1) {
                        throw new IllegalArgumentException("bug");
                    }
                    return item;
                }, 4, true, new HeadOfLineClock()))
                .expectNext(0)
                .assertNext(failure -> assertThat(((RailFailure) failure).error()).hasRootCauseMessage("bug"))
                .expectNext(2)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    private static List<Object> expectedOdds(int count) {
        return IntStream.range(0, count).filter(i -> i % 2 == 1).mapToObj(i -> (Object) (2 * i)).toList();
    }

    @Test
    void everyResultArrivesExactlyOnceAndDroppedItemsNever() {
        List<Object> out = calls(items(500), slowDoubleOdd(1), 8, false, new HeadOfLineClock())
                .collectList().block(Duration.ofSeconds(30));
        assertThat(out).containsExactlyInAnyOrderElementsOf(expectedOdds(500));
    }

    @Test
    void orderedResultsLeaveInSourceOrderUnderRandomDelays() {
        for (long seed = 0; seed < 5; seed++) {
            List<Object> out = calls(items(300), slowDoubleOdd(seed), 8, true, new HeadOfLineClock())
                    .collectList().block(Duration.ofSeconds(30));
            assertThat(out).as("seed %d", seed).containsExactlyElementsOf(expectedOdds(300));
        }
    }

    @Test
    void aSlowHeadHoldsTheResultsBehindItAndTheClockSeesTheStall() {
        CountDownLatch othersDone = new CountDownLatch(3);
        UnaryOperator<Object> call = item -> {
            if ((Integer) item == 0) {
                try {
                    othersDone.await(10, TimeUnit.SECONDS); // the head ends only after the ones behind it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                othersDone.countDown();
            }
            return item;
        };
        HeadOfLineClock clock = new HeadOfLineClock();
        StepVerifier.create(calls(items(4), call, 4, true, clock))
                .expectNext(0, 1, 2, 3)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        assertThat(clock.isAttached()).isTrue();
        assertThat(clock.stalls()).isPositive();
    }

    @Test
    void itEmitsNoMoreThanAskedAndAsksUpstreamForNoMoreThanTheWindow() {
        AtomicLong asked = new AtomicLong();
        Flux<Object> source = items(1_000).doOnRequest(asked::addAndGet);
        StepVerifier.create(calls(source, item -> item, 16, false, new HeadOfLineClock()), 0)
                .expectSubscription()
                .then(() -> assertThat(asked).hasValue(16))
                .thenRequest(5)
                .expectNextCount(5)
                .expectNoEvent(Duration.ofMillis(50))
                // 5 slots freed, fewer than a replenishing batch (16 / 4 = 4: one batch at most)
                .then(() -> assertThat(asked.get()).isLessThanOrEqualTo(16 + 5))
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(995)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aFailureItemPassesInTurnWithoutACall() {
        RuntimeException boom = new IllegalStateException("boom");
        AtomicInteger calls = new AtomicInteger();
        Flux<Object> source = Flux.just(1, 2, new RailFailure(boom));
        StepVerifier.create(calls(source, item -> {
                    calls.incrementAndGet();
                    return item;
                }, 4, true, new HeadOfLineClock()))
                .expectNext(1, 2)
                .assertNext(failure -> assertThat(failure).isInstanceOf(RailFailure.class))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(calls).hasValue(2);
    }

    @Test
    void cancellingWhileCallsAreUnderWayReachesTheUpstream() {
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        Flux<Object> source = items(100).doOnCancel(() -> cancelled.set(true));
        StepVerifier.create(calls(source, item -> {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return item;
                }, 8, false, new HeadOfLineClock()))
                .expectSubscription()
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        release.countDown();
        assertThat(cancelled).isTrue();
    }

    @Test
    void afterACancellationTheCallsStillWaitingForAThreadAreNotMade() throws InterruptedException {
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            AtomicInteger calls = new AtomicInteger();
            List<Object> first = new FluxSharedQueueCalls(items(100), item -> {
                        calls.incrementAndGet();
                        sleepMicros(20_000);
                        return item;
                    }, FluxSharedQueueCallsTest::failureItem, one, 33, false, new HeadOfLineClock())
                    .take(1)
                    .collectList()
                    .block(Duration.ofSeconds(10));
            assertThat(first).hasSize(1);
            CountDownLatch drained = new CountDownLatch(1);
            one.execute(drained::countDown); // runs after every task queued before it
            assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
            // the call that emitted, and at most the one under way when the cancellation came
            assertThat(calls.get()).isLessThanOrEqualTo(2);
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void anExecutorThatRefusesFailsTheFluxAndCancelsTheUpstream() {
        AtomicBoolean cancelled = new AtomicBoolean();
        ExecutorService refusing = Executors.newSingleThreadExecutor();
        refusing.shutdown();
        StepVerifier.create(new FluxSharedQueueCalls(items(10).doOnCancel(() -> cancelled.set(true)), item -> item,
                        FluxSharedQueueCallsTest::failureItem, refusing, 4, false, new HeadOfLineClock()))
                .expectError(RejectedExecutionException.class)
                .verify(Duration.ofSeconds(10));
        assertThat(cancelled).isTrue();
    }
}
