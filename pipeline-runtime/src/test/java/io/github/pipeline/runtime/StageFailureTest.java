package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PullSource;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.SinkCapacityExceededException;
import io.github.pipeline.api.SinkWriter;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.SourceReader;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.TestSources.CountingSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A failing function, source or sink fails the run with an error naming the pipeline, stage and item. */
class StageFailureTest {

    private final ReactorEngine engine = ReactorEngine.create();

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void aFailingFunctionNamesThePipelineTheStageAndTheItem(int parallelism) {
        CountingSource source = new CountingSource(100_000);
        StageOptions options = parallelism == 1 ? StageOptions.sequential() : StageOptions.parallel(parallelism);
        Pipeline<Long> pipeline = Pipeline.named("divide")
                .from(source)
                .map("ten-by", x -> 10 / (x - 13), options)
                .to(Sink.count());

        assertThatThrownBy(() -> pipeline.run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessage("Stage 'ten-by' of pipeline 'divide' failed on item 13: ArithmeticException: / by zero")
                .hasCauseInstanceOf(ArithmeticException.class)
                .satisfies(e -> {
                    StageFailedException failure = (StageFailedException) e;
                    assertThat(failure.pipeline()).isEqualTo("divide");
                    assertThat(failure.stage()).isEqualTo("ten-by");
                    assertThat(failure.item()).isEqualTo("13");
                });
        assertThat(source.closed).isTrue();
        assertThat(ThreadLeaks.liveThreadsOf("divide")).isEmpty();
    }

    @RepeatedTest(100)
    void aFailureOnOrderedRailsEndsTheRunEveryTime() {
        // regression: Reactor's ParallelFlux.ordered can hang when a rail signals an error
        assertThatThrownBy(() -> Pipeline.named("ordered-failure").from(Source.of(1, 2, 0, 4, 5, 6))
                .map("twelve-by", x -> 12 / x, StageOptions.parallel(2).withOrdered(true))
                .to(Sink.toList())
                .start(engine).await(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("run hung")))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("on item 0");
    }

    @RepeatedTest(100)
    void aSourceFailureThroughOrderedRailsEndsTheRunEveryTime() {
        PullSource<Integer> failsAfterThree = new PullSource<>() {
            @Override
            public SourceReader<Integer> open() {
                int[] n = {0};
                return () -> {
                    if (n[0] == 3) {
                        throw new IOException("truncated");
                    }
                    return n[0]++;
                };
            }

            @Override
            public String description() {
                return "fails after three";
            }
        };
        assertThatThrownBy(() -> Pipeline.named("ordered-source-failure").from(failsAfterThree)
                .map("inc", x -> x + 1, StageOptions.parallel(2).withOrdered(true))
                .to(Sink.toList())
                .start(engine).await(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("run hung")))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("truncated");
    }

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {false, true})
    void failuresOnOtherRailsAtTheSameTimeAreKeptAsSuppressed(boolean ordered) {
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        StageFailedException failure = (StageFailedException) org.assertj.core.api.Assertions.catchThrowable(() ->
                Pipeline.named("both-fail").from(Source.of(0, 1))
                        .map("fail-together", x -> {
                            awaitTogether(together);
                            throw new IllegalStateException("item " + x + " failed");
                        }, StageOptions.blocking(2).withOrdered(ordered))
                        .to(Sink.count())
                        .run(engine));

        assertThat(failure).isNotNull();
        assertThat(failure.getSuppressed()).singleElement()
                .isInstanceOf(StageFailedException.class)
                .satisfies(other -> assertThat(((StageFailedException) other).item()).isNotEqualTo(failure.item()));
        assertThat(java.util.List.of(failure.item(), ((StageFailedException) failure.getSuppressed()[0]).item()))
                .containsExactlyInAnyOrder("0", "1");
    }

    private static void awaitTogether(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the two calls did not meet", e);
        }
    }

    @Test
    void aLongItemIsAbbreviatedInTheMessage() {
        String big = "x".repeat(10_000);
        assertThatThrownBy(() -> Pipeline.named("big").from(Source.of(big))
                .filter("reject", s -> {
                    throw new IllegalArgumentException("too big");
                }).to(Sink.count()).run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("(10000 chars)")
                .hasMessageContaining("IllegalArgumentException: too big")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void aFunctionReturningNullIsAFailureOfItsStage() {
        assertThatThrownBy(() -> Pipeline.named("nulls").from(Source.of("a"))
                .map("to-null", s -> (String) null, StageOptions.parallel(2)).to(Sink.count()).run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("'to-null'")
                .hasMessageContaining("returned null");
    }

    @Test
    void anErrorThrownOnARailEndsTheRunInsteadOfHangingIt() {
        assertThatThrownBy(() -> Pipeline.named("fatal").from(Source.range(0, 100))
                .map("overflow", x -> {
                    if (x == 50) {
                        throw new StackOverflowError("simulated");
                    }
                    return x;
                }, StageOptions.parallel(2)).to(Sink.count()).run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasCauseInstanceOf(StackOverflowError.class);
    }

    @Test
    void anOutOfMemoryErrorOnARailFailsTheRunPromptlyInsteadOfHangingIt() {
        // raw Reactor rails hand such an error to the thread's uncaught-exception handler and wait forever
        assertThatThrownBy(() -> Pipeline.named("oom").from(Source.range(0, 1000))
                .map("allocate", x -> {
                    if (x == 500) {
                        throw new OutOfMemoryError("simulated: Java heap space");
                    }
                    return x;
                }, StageOptions.parallel(2).withOrdered(true))
                .to(Sink.count())
                .start(engine).await(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("run hung")))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("on item 500")
                .hasCauseInstanceOf(OutOfMemoryError.class);
        assertThat(ThreadLeaks.liveThreadsOf("oom")).isEmpty();
    }

    @Test
    void aFailingFlatMapIterationNamesTheItem() {
        assertThatThrownBy(() -> Pipeline.named("iter").from(Source.of(1, 2, 3))
                .flatMap("bad-iterable", x -> () -> {
                    throw new IllegalStateException("cannot iterate " + x);
                }, StageOptions.parallel(2)).to(Sink.count()).run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("'bad-iterable'")
                .hasMessageContaining("cannot iterate");
    }

    @Test
    void aSourceThatFailsToReadNamesTheSource() {
        PullSource<String> broken = new PullSource<>() {
            @Override
            public SourceReader<String> open() {
                int[] n = {0};
                return () -> {
                    if (n[0]++ == 3) {
                        throw new IOException("disk on fire");
                    }
                    return "line";
                };
            }

            @Override
            public String description() {
                return "broken";
            }
        };
        assertThatThrownBy(() -> Pipeline.named("reading").from(broken).to(Sink.count()).run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessage("Stage '<source>' of pipeline 'reading' failed: IOException: disk on fire");
    }

    @Test
    void aMissingInputFileFailsTheRunWithTheFileName(@TempDir Path dir) {
        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(() -> Pipeline.named("missing").from(Source.lines(missing)).to(Sink.count()).run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("missing.txt");
    }

    @Test
    void aSinkThatFailsNamesTheItemCancelsTheSourceAndAbortsTheFile(@TempDir Path dir) throws IOException {
        CountingSource source = CountingSource.endless();
        assertThatThrownBy(() -> Pipeline.named("sinking").from(source)
                .to(Sink.forEach(x -> {
                    if (x == 7) {
                        throw new UncheckedIOException(new IOException("disk full"));
                    }
                })).run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("Stage '<sink>' of pipeline 'sinking' failed on item 7");
        assertThat(source.closed).isTrue();

        Path out = dir.resolve("out.txt");
        Files.writeString(out, "old content\n");
        assertThatThrownBy(() -> Pipeline.named("atomic").from(Source.range(0, 1000))
                .map("fail-late", x -> {
                    if (x == 900) {
                        throw new IllegalStateException("late failure");
                    }
                    return x;
                }).to(Sink.lines(out)).run(engine))
                .isInstanceOf(StageFailedException.class);
        assertThat(Files.readString(out)).isEqualTo("old content\n");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(out);
        }
    }

    @Test
    void aSinkThatCannotOpenFailsTheRunBeforeReading() {
        CountingSource source = CountingSource.endless();
        Sink<Long, Long> unopenable = new Sink<>() {
            @Override
            public SinkWriter<Long, Long> open() throws IOException {
                throw new IOException("read-only file system");
            }

            @Override
            public String description() {
                return "unopenable";
            }
        };
        assertThatThrownBy(() -> Pipeline.named("closed").from(source).to(unopenable).run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("'<sink>'")
                .hasMessageContaining("read-only file system");
        assertThat(source.opened).isFalse();
    }

    @Test
    void aListSinkPastItsMaximumFailsAtOnceAndSaysHowToStream() {
        CountingSource source = CountingSource.endless();
        assertThatThrownBy(() -> Pipeline.named("too-many").from(source).to(Sink.<Long>toList(1000)).run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasCauseInstanceOf(SinkCapacityExceededException.class)
                .hasMessageContaining("maximum of 1000 items")
                .hasMessageContaining("Sink.count()");
        assertThat(source.closed).isTrue();
        assertThat(source.read.get()).isLessThan(1000 + 10_000);
    }

    @Test
    void aSecondRunOfAOneShotStreamSourceFailsClearly() {
        var pipeline = Pipeline.named("once").from(Source.fromStream(List.of(1, 2).stream())).to(Sink.count());
        assertThat(pipeline.run(engine).value()).isEqualTo(2);
        assertThatThrownBy(() -> pipeline.run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("can be read once only");
    }
}
