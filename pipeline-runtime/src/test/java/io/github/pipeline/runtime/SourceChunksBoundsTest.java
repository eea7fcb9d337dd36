package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Chunking;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.MalformedRecordException;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Progress;
import io.github.pipeline.api.PullSource;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.SourceReader;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.StageStats;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What reading a source in chunks must not change (each case failed once, found by a review): items
 * before a pause, or before a run of malformed records, still move on within the latency bound; a
 * running chunked stage never shows more items skipped than received; a run failing on a read ends with
 * its reader closed. Each case runs the chunked path beside the item-by-item one where that tells more.
 */
class SourceChunksBoundsTest {

    private static final Chunking BIG_CHUNKS = Chunking.ofSize(1000).withMaxLatency(Duration.ofMillis(20));

    /**
     * An iterable that is not a collection may wait for its next item (a queue, a lazily fetched page):
     * {@code Source.fromIterable} must not claim its reads never wait, or the items before the pause are
     * held until the chunk fills. The same items from a generator reach the sink within the bound.
     */
    @ParameterizedTest(name = "readsWithoutWaiting={0}")
    @ValueSource(booleans = {false, true})
    void itemsBeforeAPauseReachTheSinkWithinTheLatencyBound(boolean readsWithoutWaiting) {
        // the pause is 2 s, the bound 20 ms
        assertThat(millisToFirstWrite("pause", pausing(readsWithoutWaiting))).isLessThan(1000);
    }

    /** Three items, then a read that waits 2 s for the next one (as an iterator over a queue would), then the end. */
    private static Source<Long> pausing(boolean readsWithoutWaiting) {
        Iterable<Long> iterable = () -> new Iterator<>() {
            long next;

            @Override
            public boolean hasNext() {
                if (next == 3) {
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
                }
                return next < 4;
            }

            @Override
            public Long next() {
                return next++;
            }
        };
        if (readsWithoutWaiting) {
            return Source.fromIterable(iterable); // not a collection: read item by item
        }
        return Source.generate(new java.util.function.Supplier<Long>() {
            final Iterator<Long> it = iterable.iterator();

            @Override
            public Long get() {
                return it.hasNext() ? it.next() : null;
            }
        });
    }

    /**
     * Good records already in a chunk must not wait behind a run of malformed ones the policy drops: the
     * clock is looked at every 16 records read, malformed ones included, as the chunker (item by item)
     * passes them on within the bound.
     */
    @ParameterizedTest(name = "readsWithoutWaiting={0}")
    @ValueSource(booleans = {false, true})
    void goodRecordsBeforeARunOfMalformedOnesReachTheSinkWithinTheLatencyBound(boolean readsWithoutWaiting) {
        // 1,500 malformed records of 1 ms each follow the first 3 good ones
        assertThat(millisToFirstWrite("malformed", malformedRun(readsWithoutWaiting))).isLessThan(1000);
    }

    /** Runs the source through a chunked parallel map of big chunks (bound 20 ms); the time to the first write. */
    private static long millisToFirstWrite(String name, Source<Long> source) {
        long[] firstWrite = {0};
        long start = System.nanoTime();
        Pipeline.named(name)
                .from(source)
                .map("id", x -> x, StageOptions.parallel(2).withChunking(BIG_CHUNKS))
                .to(Sink.forEach(x -> {
                    if (firstWrite[0] == 0) {
                        firstWrite[0] = System.nanoTime();
                    }
                }))
                .run(ReactorEngine.create());
        return TimeUnit.NANOSECONDS.toMillis(firstWrite[0] - start);
    }

    /** 3 good records, then 1,500 malformed ones taking 1 ms each to read, then 1 good one. Policy: skip. */
    private static PullSource<Long> malformedRun(boolean readsWithoutWaiting) {
        return new PullSource<>() {
            @Override
            public SourceReader<Long> open() {
                long[] n = {0};
                return () -> {
                    long i = n[0]++;
                    if (i < 3 || i == 1503) {
                        return i;
                    }
                    if (i > 1503) {
                        return null;
                    }
                    LockSupport.parkNanos(1_000_000);
                    throw new MalformedRecordException("test", i, -1, "raw", "bad", null);
                };
            }

            @Override
            public Optional<ErrorPolicy> malformedRecordPolicy() {
                return Optional.of(ErrorPolicy.skip());
            }

            @Override
            public boolean readsWithoutWaiting() {
                return readsWithoutWaiting;
            }

            @Override
            public String description() {
                return "malformed run";
            }
        };
    }

    /**
     * A chunked stage adds its received count when the chunk is done, but the error policy counts a skipped
     * item at once: an item whose call fails must count as received first, or the stage shows more items
     * skipped than received (a negative in-flight count in Progress).
     */
    @Test
    void aRunningChunkedStageNeverShowsMoreItemsSkippedThanReceived() throws Exception {
        Execution<Long> execution = Pipeline.named("skips")
                .from(Source.range(0, 400))
                .map("fails", x -> {
                    LockSupport.parkNanos(2_000_000);
                    throw new IllegalStateException("bad " + x);
                }, StageOptions.parallel(2).withChunkSize(200).withErrorPolicy(ErrorPolicy.skip()))
                .to(Sink.count())
                .start(ReactorEngine.create());
        long worst = 0;
        while (!execution.isDone()) {
            Progress progress = execution.progress();
            for (StageStats stage : progress.stages()) {
                worst = Math.min(worst, stage.inFlight());
            }
            Thread.sleep(5);
        }
        execution.await().verifyBalanced();
        assertThat(worst).isGreaterThanOrEqualTo(0);
    }

    /**
     * A reader's failure goes out as the last chunk's last item: the reader must be closed before that
     * chunk goes out, as Flux.using closes it before the failure goes on item by item, or the run can have
     * failed (the future completed) while the reader is still open.
     */
    @ParameterizedTest(name = "readsWithoutWaiting={0}")
    @ValueSource(booleans = {false, true})
    void theReaderIsClosedWhenTheRunFailsOnARead(boolean readsWithoutWaiting) throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        PullSource<Long> failing = new PullSource<>() {
            @Override
            public SourceReader<Long> open() {
                long[] n = {0};
                return new SourceReader<>() {
                    @Override
                    public Long next() {
                        if (n[0] == 10) {
                            throw new IllegalStateException("read failed");
                        }
                        return n[0]++;
                    }

                    @Override
                    public void close() {
                        long until = System.nanoTime() + 300_000_000; // a close that takes a while (a remote file)
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait(); // not cut short by the interrupt a cancellation sends
                        }
                        closed.set(true);
                    }
                };
            }

            @Override
            public boolean readsWithoutWaiting() {
                return readsWithoutWaiting;
            }

            @Override
            public String description() {
                return "failing";
            }
        };
        Execution<Long> execution = Pipeline.named("fails")
                .from(failing)
                .map("id", x -> x, StageOptions.parallel(2).withChunkSize(100))
                .to(Sink.count())
                .start(ReactorEngine.create());
        CompletableFuture<Boolean> closedWhenFailed = execution.toCompletableFuture()
                .handle((result, error) -> closed.get());
        boolean closedAtFailure = closedWhenFailed.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(execution::await).hasRootCauseMessage("read failed");
        assertThat(closedAtFailure).isTrue();
    }
}
