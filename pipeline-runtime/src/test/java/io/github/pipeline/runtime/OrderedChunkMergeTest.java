package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The merge of ordered chunked rails: chunk order by index, as soon as each chunk can go, with backpressure. */
class OrderedChunkMergeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Chunk chunk(long index) {
        Chunk chunk = new Chunk(1, index);
        chunk.add(index);
        return chunk;
    }

    private static OrderedChunkMerge merge(Flux<Chunk> chunks, int rails, int prefetch) {
        return new OrderedChunkMerge(chunks.parallel(rails, prefetch).runOn(Schedulers.parallel(), prefetch), prefetch);
    }

    @Test
    void chunksComeOutInIndexOrderWhateverTheRailsTake() {
        SplittableRandom random = new SplittableRandom(3);
        long[] pauses = LongStream.range(0, 2_000).map(i -> random.nextInt(4) == 0 ? random.nextLong(50_000) : 0)
                .toArray();
        Flux<Chunk> chunks = Flux.range(0, 2_000).map(OrderedChunkMergeTest::chunk);
        OrderedChunkMerge merged = new OrderedChunkMerge(chunks.parallel(4, 8).runOn(Schedulers.boundedElastic(), 8)
                .map(c -> {
                    LockSupport.parkNanos(pauses[(int) c.index]);
                    return c;
                }), 8);

        StepVerifier.create(merged.map(c -> c.index).collectList())
                .assertNext(indexes -> assertThat(indexes).isEqualTo(LongStream.range(0, 2_000).boxed().toList()))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void theLastChunkSoFarGoesOnWhileTheInputIsStillOpen() {
        // Reactor's ordered() would hold it until every rail had a later chunk or the input ended
        Sinks.Many<Chunk> input = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.create(merge(input.asFlux(), 4, 4).map(c -> c.index))
                .then(() -> {
                    input.tryEmitNext(chunk(0));
                    input.tryEmitNext(chunk(1));
                    input.tryEmitNext(chunk(2));
                })
                .expectNext(0L, 1L, 2L)
                .then(() -> input.tryEmitNext(chunk(3)))
                .expectNext(3L)
                .then(input::tryEmitComplete)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void itEmitsNoMoreThanAskedForAndHoldsABoundedNumberOfChunks() {
        AtomicBoolean more = new AtomicBoolean(true);
        long[] produced = new long[1];
        Flux<Chunk> endless = Flux.generate(sink -> {
            if (more.get()) {
                sink.next(chunk(produced[0]++));
            }
        });
        StepVerifier.create(merge(endless, 2, 4).map(c -> c.index), 0)
                .thenRequest(3)
                .expectNext(0L, 1L, 2L)
                .thenAwait(Duration.ofMillis(50))
                .then(() -> assertThat(produced[0]).as("chunks made for 3 asked").isLessThan(3 + 2 * 4 + 2 * 4 + 2))
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void anErrorEndsTheMerge() {
        Flux<Chunk> chunks = Flux.range(0, 100).map(OrderedChunkMergeTest::chunk)
                .concatWith(Flux.error(new IllegalStateException("boom")));

        StepVerifier.create(merge(chunks, 2, 4))
                .thenConsumeWhile(c -> true)
                .expectErrorMessage("boom")
                .verify(WAIT);
    }

    @Test
    void aGapAfterTheLastChunkDoesNotHoldTheEndBack() {
        Flux<Chunk> chunks = Flux.fromIterable(List.of(chunk(0), chunk(1), chunk(3)));

        StepVerifier.create(merge(chunks, 2, 2).map(c -> c.index))
                .expectNext(0L, 1L, 3L)
                .expectComplete()
                .verify(WAIT);
    }
}
