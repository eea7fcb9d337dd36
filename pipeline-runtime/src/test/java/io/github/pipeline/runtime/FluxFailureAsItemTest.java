package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** An upstream failure becomes one last item, within the demand, exactly once. */
class FluxFailureAsItemTest {

    private static Flux<Object> failingAfter(Object... items) {
        return Flux.just(items).concatWith(Flux.error(new IllegalStateException("boom")));
    }

    private static FluxFailureAsItem asItem(Flux<Object> source) {
        return new FluxFailureAsItem(source, e -> "failed: " + e.getMessage());
    }

    @Test
    void itemsPassOnAndTheFailureComesLastThenCompletion() {
        StepVerifier.create(asItem(failingAfter("a", "b")))
                .expectNext("a", "b", "failed: boom")
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aFailureWithNoDemandLeftWaitsForTheNextRequest() {
        StepVerifier.create(asItem(failingAfter("a", "b")), 2)
                .expectNext("a", "b")
                .expectNoEvent(Duration.ofMillis(20))
                .thenRequest(1)
                .expectNext("failed: boom")
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void completionAndDemandPassStraightThrough() {
        AtomicInteger requested = new AtomicInteger();
        StepVerifier.create(asItem(Flux.<Object>just(1, 2, 3).doOnRequest(n -> requested.addAndGet((int) n))), 1)
                .expectNext(1)
                .then(() -> assertThat(requested).hasValue(1))
                .thenRequest(2)
                .expectNext(2, 3)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aCancelledSubscriberGetsNoFailureItem() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Sinks.Many<Object> items = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.create(asItem(items.asFlux().doOnCancel(() -> cancelled.set(true))), 0)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertThat(cancelled).isTrue();
    }

    @Test
    void aFailureRacingARequestIsEmittedExactlyOnce() throws InterruptedException {
        for (int round = 0; round < 500; round++) {
            Sinks.Many<Object> items = Sinks.many().unicast().onBackpressureBuffer();
            List<Object> received = new CopyOnWriteArrayList<>();
            AtomicInteger completions = new AtomicInteger();
            AtomicReference<Subscription> subscription = new AtomicReference<>();
            asItem(items.asFlux()).subscribe(new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(Subscription s) {
                    subscription.set(s);
                    s.request(1);
                }

                @Override
                protected void hookOnNext(Object value) {
                    received.add(value);
                }

                @Override
                protected void hookOnComplete() {
                    completions.incrementAndGet();
                }
            });
            items.tryEmitNext("a");
            CountDownLatch start = new CountDownLatch(1);
            Thread failing = new Thread(() -> {
                await(start);
                items.tryEmitError(new IllegalStateException("boom"));
            });
            Thread requesting = new Thread(() -> {
                await(start);
                subscription.get().request(1);
            });
            failing.start();
            requesting.start();
            start.countDown();
            failing.join(10_000);
            requesting.join(10_000);
            assertThat(received).as("round %d", round).containsExactly("a", "failed: boom");
            assertThat(completions).as("round %d", round).hasValue(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
