package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.TestSources.CountingSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** A pipeline as a publisher: the subscriber's demand drives it, cancelling closes the source. */
class PipelinePublisherTest {

    private final ReactorEngine engine = ReactorEngine.create();

    @Test
    void theSubscribersDemandDrivesThePipelineAndCancelClosesTheSource() {
        CountingSource source = CountingSource.endless();
        Publisher<Long> squares = Pipeline.named("published").from(source)
                .map("square", x -> x * x, StageOptions.parallel(2).withOrdered(true).withPrefetch(4)
                        .withChunking(io.github.pipeline.api.Chunking.off()))
                .toPublisher(engine);

        StepVerifier.create(squares, 0)
                .expectSubscription()
                .thenRequest(3)
                .expectNext(0L, 1L, 4L)
                .thenRequest(2)
                .expectNext(9L, 16L)
                .thenCancel()
                .verify(Duration.ofSeconds(30));

        // the delivery hand-off, which holds the chunk being taken apart (the 5 items delivered among its
        // items) and one more, each of up to HAND_OFF_CHUNK items (526 items were read once, with the bound
        // at 281: one SINK_PREFETCH), + the rails' buffers: parallel() 4, runOn 2 x 4, ordered merge 2 x 4
        int handOff = Math.max(2, ReactorExecution.SINK_PREFETCH / PipelineAssembly.HAND_OFF_CHUNK)
                * PipelineAssembly.HAND_OFF_CHUNK;
        assertThat(source.read.get()).isLessThanOrEqualTo(handOff + 4 + 2 * 4 + 2 * 4);
        Flux.interval(Duration.ofMillis(5)).takeUntil(i -> source.closed.get()).blockLast(Duration.ofSeconds(30));
        // the run's threads are shut down when the subscription ends; they stop soon after
        Flux.interval(Duration.ofMillis(5)).takeUntil(i -> ThreadLeaks.liveThreadsOf("published").isEmpty())
                .blockLast(Duration.ofSeconds(30));
        assertThat(ThreadLeaks.liveThreadsOf("published")).isEmpty();
    }

    @Test
    void eachSubscriptionIsARunOfItsOwnWithItsOwnDeadLetters() {
        List<DeadLetter> letters = new CopyOnWriteArrayList<>();
        Publisher<Long> evens = Pipeline.named("evens").from(io.github.pipeline.api.Source.range(0, 10))
                .map("even-or-fail", x -> {
                    if (x % 2 == 1) {
                        throw new IllegalArgumentException("odd");
                    }
                    return x;
                }, StageOptions.parallel(2).withErrorPolicy(ErrorPolicy.deadLetter(Sink.forEach(letters::add))))
                .toPublisher(engine);

        assertThat(Flux.from(evens).collectList().block(Duration.ofSeconds(30))).containsExactlyInAnyOrder(0L, 2L, 4L, 6L, 8L);
        assertThat(Flux.from(evens).count().block(Duration.ofSeconds(30))).isEqualTo(5);
        assertThat(letters).hasSize(10);
    }

    @Test
    void aFailureReachesTheSubscriberNamingTheStage() {
        Publisher<Integer> failing = Pipeline.named("failing").from(io.github.pipeline.api.Source.of(1, 0, 2))
                .map("ten-by", x -> 10 / x)
                .toPublisher(engine);

        StepVerifier.create(failing)
                .expectNext(10)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StageFailedException.class)
                        .hasMessageContaining("'ten-by'").hasMessageContaining("on item 0"))
                .verify(Duration.ofSeconds(30));
    }
}
