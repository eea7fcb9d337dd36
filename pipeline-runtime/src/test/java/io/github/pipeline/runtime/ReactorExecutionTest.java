package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.Progress;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.TestSources.CountingSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The asynchronous handle: start, await, result, cancel, progress, the future view, released threads. */
class ReactorExecutionTest {

    private final ReactorEngine engine = ReactorEngine.create();

    @Test
    void startReturnsAtOnceAndAwaitGivesTheResult() {
        CountDownLatch release = new CountDownLatch(1);
        Execution<Long> execution = Pipeline.named("async")
                .from(Source.range(0, 1000))
                .peek("gate", x -> await(release))
                .to(Sink.count())
                .start(engine);

        assertThat(execution.isDone()).isFalse();
        assertThat(execution.await(Duration.ofMillis(20))).isEmpty();
        release.countDown();

        RunResult<Long> result = execution.await();
        assertThat(result.value()).isEqualTo(1000);
        assertThat(execution.result()).isEqualTo(1000);
        assertThat(execution.isDone()).isTrue();
        assertThat(execution.progress().done()).isTrue();
        assertThat(ThreadLeaks.liveThreadsOf("async")).isEmpty();
    }

    @Test
    void progressShowsCountsWhileTheRunIsGoing() throws Exception {
        CountDownLatch sinkReached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Execution<Long> execution = Pipeline.named("watched")
                .from(Source.range(0, 10))
                .map("id", x -> x)
                .to(Sink.forEach(x -> {
                    if (x == 5) {
                        sinkReached.countDown();
                        await(release);
                    }
                }))
                .start(engine);
        assertThat(sinkReached.await(30, TimeUnit.SECONDS)).isTrue();

        Progress progress = execution.progress();
        assertThat(progress.done()).isFalse();
        assertThat(progress.sinkItems()).isEqualTo(5);
        assertThat(progress.sourceItems()).isBetween(6L, 10L);
        assertThat(progress.sourceSize()).hasValue(10);
        assertThat(progress.stages()).singleElement().satisfies(s -> assertThat(s.received()).isGreaterThanOrEqualTo(6));

        release.countDown();
        assertThat(execution.await().verifyBalanced().value()).isEqualTo(10);
    }

    @Test
    void cancelStopsTheSourceClosesItAndReleasesTheThreads(@TempDir Path dir) throws Exception {
        CountingSource source = CountingSource.endless();
        Path out = dir.resolve("never.txt");
        CountDownLatch flowing = new CountDownLatch(100);
        Execution<Long> execution = Pipeline.named("endless")
                .from(source)
                .map("cube", x -> x * x * x, StageOptions.parallel(2))
                .peek("flowing", x -> flowing.countDown())
                .map("slow-io", x -> x, StageOptions.blocking(4))
                .to(Sink.lines(out))
                .start(engine);
        assertThat(flowing.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(execution.cancel()).isTrue();

        assertThatThrownBy(execution::await).isInstanceOf(PipelineCancelledException.class)
                .hasMessageContaining("endless");
        assertThat(execution.isDone()).isTrue();
        assertThat(execution.cancel()).isFalse();
        assertThat(source.closed).isTrue();
        assertThat(out).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
        assertThat(ThreadLeaks.liveThreadsOf("endless")).isEmpty();
    }

    @Test
    void theFutureViewCompletesWithTheResultAndCancelsTheRunWhenCancelled() throws Exception {
        CompletableFuture<RunResult<Long>> done = Pipeline.named("future")
                .from(Source.range(0, 10)).to(Sink.count()).start(engine).toCompletableFuture();
        assertThat(done.get(30, TimeUnit.SECONDS).value()).isEqualTo(10);

        CountingSource source = CountingSource.endless();
        Execution<Long> execution = Pipeline.named("future-cancel").from(source).to(Sink.count()).start(engine);
        CompletableFuture<RunResult<Long>> view = execution.toCompletableFuture();
        view.cancel(true);

        assertThatThrownBy(execution::await).isInstanceOf(PipelineCancelledException.class);
        // cancelled this early, the source may never have been opened; if it was, it is closed
        assertThat(!source.opened.get() || source.closed.get()).as("opened implies closed").isTrue();
    }

    @Test
    void cancellingBeforeTheFirstItemStillEndsTheRun() {
        CountingSource source = CountingSource.endless();
        Execution<Long> execution = Pipeline.named("early").from(source).to(Sink.count()).start(engine);
        execution.cancel();
        assertThatThrownBy(execution::await).isInstanceOf(PipelineCancelledException.class);
        assertThat(!source.opened.get() || source.closed.get()).as("opened implies closed").isTrue();
        assertThat(ThreadLeaks.liveThreadsOf("early")).isEmpty();
    }

    @RepeatedTest(200)
    void cancellingARunAsItEndsNeitherThrowsNorHangs() {
        Execution<Long> execution = Pipeline.named("racing").from(Source.range(0, 50)).to(Sink.count()).start(engine);
        execution.cancel();
        try {
            assertThat(execution.await().value()).isEqualTo(50);
        } catch (PipelineCancelledException cancelled) {
            assertThat(execution.isDone()).isTrue();
        }
        assertThat(execution.cancel()).isFalse();
    }

    @Test
    void aSinkThatFailsInTheMiddleOfAChunkIsNotHandedTheRestOfIt() {
        // items reach the sink's thread in chunks of up to 256, taken apart by the sink's subscriber
        AtomicInteger writes = new AtomicInteger();
        assertThatThrownBy(() -> Pipeline.named("sink-fails")
                .from(Source.range(0, 10_000))
                .map("id", x -> x, StageOptions.parallel(2).withChunkSize(1000))
                .to(Sink.forEach(x -> {
                    if (writes.incrementAndGet() == 100) {
                        throw new IllegalStateException("disk full");
                    }
                }))
                .run(engine))
                .hasMessageContaining("<sink>")
                .hasRootCauseMessage("disk full");
        assertThat(writes.get()).isEqualTo(100);
    }

    @Test
    void aRunCancelledByItsSinkWritesNothingMoreOfTheChunkInHand() {
        AtomicInteger writes = new AtomicInteger();
        AtomicReference<Execution<Long>> self = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Execution<Long> execution = Pipeline.named("sink-cancels")
                .from(Source.range(0, 10_000))
                .map("id", x -> x, StageOptions.parallel(2).withChunkSize(1000))
                .to(Sink.forEach(x -> {
                    await(started);
                    if (writes.incrementAndGet() == 10) {
                        self.get().cancel();
                    }
                }))
                .start(engine);
        self.set(execution);
        started.countDown();
        assertThatThrownBy(execution::await).isInstanceOf(PipelineCancelledException.class);
        assertThat(writes.get()).isEqualTo(10);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
