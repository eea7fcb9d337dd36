package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Chunking;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.MalformedRecordException;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PullSource;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.SourceReader;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * A source whose reads never wait is read straight into chunks: every item once, in order, a chunk per
 * request, failures as a last item, malformed records to the policy, the reader closed however it ends.
 */
class SourceChunksTest {

    private final RunResources resources = new RunResources("source-chunks");

    @AfterEach
    void stopThreads() {
        resources.shutdown();
    }

    @Test
    void chunksHoldTheSizersItemsInOrderNumberedWhenIndexedAndAreReadOnlyWhenAskedFor() {
        CountingSource source = new CountingSource(10, -1);
        RunState state = stateOf(source);

        StepVerifier.create(chunks(state, Chunking.ofSize(4), true), 0)
                .then(() -> assertThat(source.reads.get()).isZero())
                .thenRequest(1)
                .assertNext(chunk -> {
                    assertThat(chunk).containsExactly(0L, 1L, 2L, 3L);
                    assertThat(chunk.index).isZero();
                })
                .then(() -> assertThat(source.reads.get()).isEqualTo(4))
                .thenRequest(5)
                .assertNext(chunk -> {
                    assertThat(chunk).containsExactly(4L, 5L, 6L, 7L);
                    assertThat(chunk.index).isEqualTo(1);
                })
                .assertNext(chunk -> {
                    assertThat(chunk).containsExactly(8L, 9L);
                    assertThat(chunk.index).isEqualTo(2);
                })
                .verifyComplete();
        assertThat(state.sourceItems.sum()).isEqualTo(10);
        assertThat(source.closed.get()).isEqualTo(1);
    }

    @Test
    void unorderedChunksCarryNoIndexAndAnEmptySourceCompletesWithoutAChunk() {
        StepVerifier.create(chunks(stateOf(new CountingSource(3, -1)), Chunking.ofSize(10), false))
                .assertNext(chunk -> {
                    assertThat(chunk).containsExactly(0L, 1L, 2L);
                    assertThat(chunk.index).isEqualTo(-1);
                })
                .verifyComplete();
        CountingSource empty = new CountingSource(0, -1);
        StepVerifier.create(chunks(stateOf(empty), Chunking.ofSize(10), false)).verifyComplete();
        assertThat(empty.closed.get()).isEqualTo(1);
    }

    @Test
    void aReadFailureEndsItsChunkAsALastItemNamingTheSourceAndTheFluxCompletes() {
        CountingSource source = new CountingSource(10, 6);
        StepVerifier.create(chunks(stateOf(source), Chunking.ofSize(4), true))
                .assertNext(chunk -> assertThat(chunk).containsExactly(0L, 1L, 2L, 3L))
                .assertNext(chunk -> {
                    assertThat(chunk).hasSize(3).startsWith(4L, 5L);
                    assertThat(chunk.get(2)).isInstanceOf(RailFailure.class);
                    RuntimeException error = ((RailFailure) chunk.get(2)).error();
                    assertThat(error).isInstanceOf(StageFailedException.class).hasMessageContaining("<source>")
                            .hasRootCauseMessage("read 6 failed");
                })
                .verifyComplete();
        assertThat(source.closed.get()).isEqualTo(1);
    }

    @Test
    void aSourceThatCannotBeOpenedFailsTheFluxAtOnceWithoutDemandNamingTheSource() {
        PullSource<Object> unopenable = new Described() {
            @Override
            public SourceReader<Object> open() {
                throw new IllegalStateException("no such table");
            }
        };
        StepVerifier.create(chunks(stateOf(unopenable), Chunking.ofSize(4), true), 0)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(StageFailedException.class)
                        .hasMessageContaining("<source>").hasRootCauseMessage("no such table"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void onOrderedRailsASourceThatCannotBeOpenedFailsTheRunNamingTheSource() {
        PullSource<Long> unopenable = new PullSource<>() {
            @Override
            public SourceReader<Long> open() {
                throw new IllegalStateException("no such table");
            }

            @Override
            public boolean readsWithoutWaiting() {
                return true;
            }

            @Override
            public String description() {
                return "unopenable";
            }
        };
        for (boolean ordered : new boolean[] {true, false}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Pipeline.named("unopenable")
                            .from(unopenable)
                            .map("id", x -> x, StageOptions.parallel(2).withOrdered(ordered))
                            .to(Sink.count())
                            .run(ReactorEngine.create()))
                    .isInstanceOf(StageFailedException.class)
                    .hasMessageContaining("<source>")
                    .hasRootCauseMessage("no such table");
        }
    }

    @Test
    void cancellingClosesTheReaderOnce() {
        CountingSource source = new CountingSource(Long.MAX_VALUE, -1);
        StepVerifier.create(chunks(stateOf(source), Chunking.ofSize(8), false), 2)
                .expectNextCount(2)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        // the close runs on the source's thread, after the cancellation reaches it
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (source.closed.get() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(source.closed.get()).isEqualTo(1);
        assertThat(source.reads.get()).isEqualTo(16);
    }

    @Test
    void malformedRecordsGoToThePolicyAndAreCountedAsRead() {
        PullSource<Object> source = new Described() {
            @Override
            public SourceReader<Object> open() {
                AtomicInteger next = new AtomicInteger();
                return () -> {
                    int n = next.getAndIncrement();
                    if (n >= 10) {
                        return null;
                    }
                    if (n % 3 == 0) {
                        throw new MalformedRecordException("test", n + 1, -1, "raw " + n, "malformed", null);
                    }
                    return (long) n;
                };
            }

            @Override
            public Optional<ErrorPolicy> malformedRecordPolicy() {
                return Optional.of(ErrorPolicy.skip());
            }
        };
        RunState state = stateOf(source);
        List<Chunk> chunks = new ArrayList<>();
        StepVerifier.create(chunks(state, Chunking.ofSize(4), false))
                .recordWith(() -> chunks)
                .thenConsumeWhile(chunk -> true)
                .verifyComplete();
        assertThat(chunks.stream().flatMap(Chunk::stream).toList())
                .containsExactly(1L, 2L, 4L, 5L, 7L, 8L);
        assertThat(state.sourceItems.sum()).isEqualTo(10);
        assertThat(state.sourceCounters.snapshot().received()).isEqualTo(10);
        assertThat(state.sourceCounters.snapshot().processed()).isEqualTo(6);
        assertThat(state.sourceCounters.snapshot().skipped()).isEqualTo(4);
    }

    @Test
    void aChunkWhoseReadsTakeTheLatencyBoundIsPassedOnBeforeItIsFull() {
        // 1,000 items a chunk at ~1 ms a read would hold the first item a second: the bound is 20 ms
        PullSource<Object> slow = new Described() {
            @Override
            public SourceReader<Object> open() {
                long[] next = {0};
                return () -> {
                    if (next[0] == 200) {
                        return null;
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    return next[0]++;
                };
            }

            @Override
            public boolean readsWithoutWaiting() {
                return true;
            }
        };
        Chunking chunking = Chunking.ofSize(1000).withMaxLatency(Duration.ofMillis(20));
        List<Chunk> chunks = chunks(stateOf(slow), chunking, false).collectList().block(Duration.ofSeconds(10));
        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks.get(0).size()).isLessThan(200).isGreaterThanOrEqualTo(SourceChunks.CLOCK_EVERY);
        assertThat(chunks.stream().mapToInt(Chunk::size).sum()).isEqualTo(200);
    }

    @Test
    void onlyPullSourcesWhoseReadsNeverWaitAreReadInChunksAndNeverInRunsThatTakeCheckpoints() {
        assertThat(SourceChunks.fits(stateOf(Source.range(0, 3)))).isTrue();
        assertThat(SourceChunks.fits(stateOf(Source.of(1, 2)))).isTrue();
        assertThat(SourceChunks.fits(stateOf(Source.fromIterable(java.util.List.of(1, 2))))).isTrue();
        Iterable<Integer> lazy = () -> java.util.List.of(1, 2).iterator(); // not a collection: may wait
        assertThat(SourceChunks.fits(stateOf(Source.fromIterable(lazy)))).isFalse();
        assertThat(SourceChunks.fits(stateOf(Source.lines(java.nio.file.Path.of("pom.xml"))))).isTrue();
        assertThat(SourceChunks.fits(stateOf(Source.lines(java.nio.file.Path.of("no-such-file"))))).isFalse();
        assertThat(SourceChunks.fits(stateOf(Source.generate(() -> 1)))).isFalse();
        assertThat(SourceChunks.fits(stateOf(Source.fromStream(() -> java.util.stream.Stream.of(1))))).isFalse();
        assertThat(SourceChunks.fits(stateOf(Source.fromPublisher(Flux.just(1))))).isFalse();
    }

    @Test
    void aPipelineReadInChunksCountsAsOneReadItemByItem() {
        // the same pipeline from a source read in chunks and from one read item by item: the same accounting
        StageOptions rails = StageOptions.parallel(2).withChunking(Chunking.ofSize(64));
        RunResult<Long> inChunks = countOdd(Source.range(0, 10_000), rails);
        RunResult<Long> itemByItem = countOdd(Source.fromStream(() -> java.util.stream.LongStream.range(0, 10_000)
                .boxed()), rails);
        assertThat(inChunks.value()).isEqualTo(itemByItem.value()).isEqualTo(5_000L);
        assertThat(inChunks.sourceItems()).isEqualTo(itemByItem.sourceItems()).isEqualTo(10_000);
        assertThat(inChunks.sinkItems()).isEqualTo(itemByItem.sinkItems()).isEqualTo(5_000);
        assertThat(inChunks.stages()).isEqualTo(itemByItem.stages());
    }

    @Test
    void sequentialStagesOverASourceReadInChunksRunOnItsThreadAndGiveWhatTheyGiveItemByItem() {
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        RunResult<Long> inChunks = sequential("fused", Source.range(0, 10_000), threads);
        RunResult<Long> itemByItem = sequential("items", Source.fromStream(() -> java.util.stream.LongStream
                .range(0, 10_000).boxed()), new java.util.HashSet<>());
        assertThat(inChunks.value()).isEqualTo(itemByItem.value());
        assertThat(inChunks.sourceItems()).isEqualTo(itemByItem.sourceItems()).isEqualTo(10_000);
        assertThat(inChunks.sinkItems()).isEqualTo(itemByItem.sinkItems());
        assertThat(inChunks.stages()).isEqualTo(itemByItem.stages());
        assertThat(inChunks.stage("every-7th-fails").skipped()).isEqualTo(1_429);
        assertThat(threads).singleElement().asString().isEqualTo("pipeline-fused-source");
    }

    @Test
    void aSequentialStageFailingInsideAChunkFailsTheRunNamingTheStageAndTheItem() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Pipeline.named("fused-fails")
                        .from(Source.range(0, 10_000))
                        .map("inverse", x -> 1 / (x - 4_321))
                        .to(Sink.count())
                        .run(ReactorEngine.create()))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("'inverse'")
                .hasMessageContaining("4321")
                .hasRootCauseInstanceOf(ArithmeticException.class);
    }

    private static RunResult<Long> sequential(String name, Source<Long> source, java.util.Set<String> threads) {
        return Pipeline.named(name)
                .from(source)
                .map("every-7th-fails", x -> {
                    if (x % 7 == 0) {
                        throw new IllegalStateException("bad " + x);
                    }
                    return x * 3;
                }, StageOptions.sequential().withErrorPolicy(ErrorPolicy.skip()))
                .filter("even", x -> x % 2 == 0)
                .peek("where", x -> threads.add(Thread.currentThread().getName()))
                .to(Sink.reduce(0L, Long::sum))
                .run(ReactorEngine.create())
                .verifyBalanced();
    }

    private static RunResult<Long> countOdd(Source<Long> source, StageOptions rails) {
        return Pipeline.named("odd")
                .from(source)
                .filter("odd", x -> x % 2 == 1, rails)
                .map("half", x -> x / 2, rails)
                .to(Sink.count())
                .run(ReactorEngine.create())
                .verifyBalanced();
    }

    private Flux<Chunk> chunks(RunState state, Chunking chunking, boolean indexed) {
        return new SourceChunks(state, resources.newScheduler("source", 1), state.sourceProbe)
                .chunks(new ChunkSizer(chunking), indexed);
    }

    private RunState stateOf(Source<?> source) {
        return RunState.open(Pipeline.named("p").from(source).to(Sink.count()), resources);
    }

    /** A pull source of the test's own. */
    private abstract static class Described implements PullSource<Object> {
        @Override
        public String description() {
            return "test source";
        }
    }

    /** The longs from 0 to {@code size}, failing at {@code failAt} (none if negative); counts reads and closes. */
    private static final class CountingSource extends Described {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        private final long size;
        private final long failAt;

        CountingSource(long size, long failAt) {
            this.size = size;
            this.failAt = failAt;
        }

        @Override
        public SourceReader<Object> open() {
            long[] next = {0};
            return new SourceReader<>() {
                @Override
                public Object next() {
                    if (next[0] == failAt) {
                        throw new IllegalStateException("read " + failAt + " failed");
                    }
                    if (next[0] == size) {
                        return null;
                    }
                    reads.incrementAndGet();
                    return next[0]++;
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }

        @Override
        public boolean readsWithoutWaiting() {
            return true;
        }
    }
}
