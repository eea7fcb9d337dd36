package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Only the error is mapped; items, demand, completion and cancellation pass as they are. */
class FluxMapFailureTest {

    @Test
    void theErrorIsMappedAfterTheItems() {
        Flux<Object> failing = Flux.<Object>just("a").concatWith(Flux.error(new IllegalStateException("boom")));
        StepVerifier.create(new FluxMapFailure(failing, e -> new IllegalArgumentException("mapped", e)))
                .expectNext("a")
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("mapped").hasCauseInstanceOf(IllegalStateException.class))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aMapperThatThrowsFailsWithItsOwnErrorAndKeepsTheOriginal() {
        Flux<Object> failing = Flux.error(new IllegalStateException("boom"));
        StepVerifier.create(new FluxMapFailure(failing, e -> {
                    throw new UnsupportedOperationException("mapper");
                }))
                .expectErrorSatisfies(e -> assertThat(e).hasMessage("mapper")
                        .satisfies(m -> assertThat(m.getSuppressed()).hasSize(1)))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void demandAndCancellationReachTheSource() {
        AtomicLong requested = new AtomicLong();
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<Object> source = Flux.range(0, 100).<Object>map(i -> i).doOnRequest(requested::addAndGet).doOnCancel(() -> cancelled.set(true));
        StepVerifier.create(new FluxMapFailure(source, e -> e), 3)
                .expectNext(0, 1, 2)
                .then(() -> assertThat(requested).hasValue(3))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertThat(cancelled).isTrue();
    }

    @Test
    void completionPassesThrough() {
        StepVerifier.create(new FluxMapFailure(Flux.<Object>just(1, 2), e -> e))
                .expectNext(1, 2)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }
}
