package io.github.pipeline.runtime;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * What checkpoints need of the merge of ordered chunked rails: the chunks of a paused source all come out
 * (a checkpoint drains the run), and a gap after the last chunk does not hold the end back.
 */
class OrderedMergeCheckpointTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Chunk chunk(long index) {
        Chunk chunk = new Chunk(1, index);
        chunk.add(index);
        return chunk;
    }

    private static Flux<Chunk> merge(Flux<Chunk> chunks, int rails, int prefetch) {
        return OrderedMerge.ofChunks(chunks.parallel(rails, prefetch).runOn(Schedulers.parallel(), prefetch), prefetch,
                new HeadOfLineClock());
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
    void aGapAfterTheLastChunkDoesNotHoldTheEndBack() {
        Flux<Chunk> chunks = Flux.fromIterable(List.of(chunk(0), chunk(1), chunk(3)));

        StepVerifier.create(merge(chunks, 2, 2).map(c -> c.index))
                .expectNext(0L, 1L, 3L)
                .expectComplete()
                .verify(WAIT);
    }
}
