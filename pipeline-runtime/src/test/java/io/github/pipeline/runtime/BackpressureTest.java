package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Chunking;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.TestSources.CountingSource;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Demand travels from the sink back to the source: a stalled consumer stops the source once the
 * buffers are full, whatever the source's size. The bounds below are the sums of the configured
 * buffers between the source and the consumer.
 */
class BackpressureTest {

    private static final int PREFETCH = 8;
    private static final int RAILS = 2;

    /** parallel() queue + runOn queue per rail + sequential() queue per rail. */
    private static final int RAIL_BUFFERS = PREFETCH + 2 * RAILS * PREFETCH;

    @Test
    void theSourceIsReadOnlyAsFarAsTheDemandAndTheBuffersAllow() {
        CountingSource source = CountingSource.endless();
        Pipeline<Long> pipeline = Pipeline.named("demand")
                .from(source)
                .map("inc", x -> x + 1, StageOptions.parallel(RAILS).withPrefetch(PREFETCH).withChunking(Chunking.off()))
                .to(Sink.count());
        RunResources resources = new RunResources("demand");
        Flux<Object> items = new PipelineAssembly(new RunState(pipeline), resources).assemble();

        StepVerifier.create(items, 0)
                .expectSubscription()
                .thenRequest(10)
                .expectNextCount(10)
                .then(() -> assertThat(awaitQuiet(source.read::get)).isLessThanOrEqualTo(10 + RAIL_BUFFERS))
                .thenRequest(5)
                .expectNextCount(5)
                .then(() -> assertThat(awaitQuiet(source.read::get)).isLessThanOrEqualTo(15 + RAIL_BUFFERS))
                .thenCancel()
                .verify(Duration.ofSeconds(30));

        assertThat(awaitQuiet(() -> source.closed.get() ? 1 : 0)).isEqualTo(1);
        resources.shutdown();
    }

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {false, true})
    void chunkedRailsReadOnlyAsFarAsTheDemandAndTheChunkBuffersAllow(boolean ordered) {
        int chunk = 4;
        int chunksPerBuffer = PipelineAssembly.chunksPerBuffer(PREFETCH, chunk);
        // one chunk asked for ahead of demand, the parallel() queue, runOn and the merge per rail, the
        // un-chunking queue: chunks of at most 4 items (no read-ahead queue in front of the chunker)
        int bound = chunk * (1 + chunksPerBuffer + 2 * RAILS * chunksPerBuffer + chunksPerBuffer);
        CountingSource source = CountingSource.endless();
        Pipeline<Long> pipeline = Pipeline.named("chunked-demand")
                .from(source)
                .map("inc", x -> x + 1, StageOptions.parallel(RAILS).withPrefetch(PREFETCH).withOrdered(ordered)
                        .withChunkSize(chunk))
                .filter("all", x -> true, StageOptions.parallel(RAILS).withPrefetch(PREFETCH).withOrdered(ordered)
                        .withChunkSize(chunk))
                .to(Sink.count());
        RunResources resources = new RunResources("chunked-demand");
        Flux<Object> items = new PipelineAssembly(new RunState(pipeline), resources).assemble();

        StepVerifier.Step<Object> step = StepVerifier.create(items, 0)
                .expectSubscription()
                .thenRequest(10);
        step = ordered ? step.expectNext(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L) : step.expectNextCount(10);
        step.then(() -> assertThat(awaitQuiet(source.read::get)).isLessThanOrEqualTo(10 + bound))
                .thenRequest(5)
                .expectNextCount(5)
                .then(() -> assertThat(awaitQuiet(source.read::get)).isLessThanOrEqualTo(15 + bound))
                .thenCancel()
                .verify(Duration.ofSeconds(30));

        assertThat(awaitQuiet(() -> source.closed.get() ? 1 : 0)).isEqualTo(1);
        resources.shutdown();
    }

    @Test
    void aSlowSinkHoldsTheSourceBackUntilItIsCancelled() {
        CountingSource source = CountingSource.endless();
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Execution<Long> execution = Pipeline.named("slow-sink")
                .from(source)
                .map("inc", x -> x + 1, StageOptions.parallel(RAILS).withPrefetch(PREFETCH).withChunking(Chunking.off()))
                .to(Sink.forEach(x -> {
                    stalled.countDown();
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }))
                .start(ReactorEngine.create());

        try {
            assertThat(stalled.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        long read = awaitQuiet(source.read::get);
        // the hand-off to the sink's thread (a chunk being taken apart, its item in the sink; two chunks
        // queued; one being filled) and the rails' buffers
        assertThat(read).isLessThanOrEqualTo(4 * PipelineAssembly.HAND_OFF_CHUNK + RAIL_BUFFERS);
        assertThat(execution.progress().sinkItems()).isZero();

        execution.cancel();
        assertThatThrownBy(execution::await).isInstanceOf(PipelineCancelledException.class);
        assertThat(source.closed).isTrue();
        assertThat(ThreadLeaks.liveThreadsOf("slow-sink")).isEmpty();
    }

    /**
     * Waits until a counter stops moving (unchanged over 20 polls 10 ms apart, or 10 s at most) and
     * returns its value: the steady state a stalled pipeline settles into.
     */
    static long awaitQuiet(LongSupplier counter) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = counter.getAsLong();
        int unchanged = 0;
        while (unchanged < 20 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = counter.getAsLong();
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
        }
        return last;
    }
}
