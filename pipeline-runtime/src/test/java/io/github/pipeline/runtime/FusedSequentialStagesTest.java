package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Sequential stages fused over chunks of a source whose reads never wait must behave as item by item (the
 * same pipeline over a stream, read one item at a time): no calls after the item that fails the run, and
 * a slow stage's results and progress reach the sink about as soon. Each case failed once (a review).
 */
class FusedSequentialStagesTest {

    private static Source<Long> fused(long n) {
        return Source.range(0, n);
    }

    private static Source<Long> itemByItem(long n) {
        return Source.fromStream(() -> LongStream.range(0, n).boxed());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Calls made by a sequential stage on items after the item that failed the run (fail-fast). */
    private static long callsAfterFailure(Supplier<Source<Long>> source) {
        AtomicLong after = new AtomicLong();
        for (int run = 0; run < 20; run++) {
            try {
                Pipeline.named("fail-fast")
                        .from(source.get())
                        .map("fails-at-3", x -> {
                            if (x > 3) {
                                after.incrementAndGet();
                            }
                            if (x == 3) {
                                throw new IllegalStateException("bad 3");
                            }
                            return x;
                        })
                        .to(Sink.count())
                        .run(ReactorEngine.create());
            } catch (RuntimeException expected) {
                // the run fails on item 3
            }
        }
        return after.get(); // run() returns once the run's threads have stopped: no call can come later
    }

    @Test
    void aFailingSequentialStageIsNotCalledOnItemsAfterTheFailure() {
        long itemByItemCalls = callsAfterFailure(() -> itemByItem(100_000));
        long fusedCalls = callsAfterFailure(() -> fused(100_000));
        assertThat(fusedCalls).isEqualTo(itemByItemCalls);
    }

    /** Milliseconds from the start until the sink has the first item, with a 10 ms sequential map. */
    private static long firstItemMillis(Source<Long> source) {
        long start = System.nanoTime();
        AtomicLong first = new AtomicLong();
        Pipeline.named("slow")
                .from(source)
                .map("slow", x -> {
                    sleep(10);
                    return x;
                })
                .to(Sink.forEach(x -> first.compareAndSet(0, System.nanoTime())))
                .run(ReactorEngine.create());
        return (first.get() - start) / 1_000_000;
    }

    @Test
    void aSlowSequentialStagePassesItsFirstItemOnAsItemByItem() {
        long itemByItem = firstItemMillis(itemByItem(40));
        long fused = firstItemMillis(fused(40));
        assertThat(fused).isLessThan(itemByItem + 50);
    }

    /**
     * Longest an item waits between leaving the sequential stage and reaching the sink, when the stage is
     * cheap for a while (chunks grow to 256) and then takes 10 ms an item.
     */
    private static long longestWaitMillis(Source<Long> source) {
        long[] done = new long[3_000];
        long[] longest = {0};
        Pipeline.named("varying")
                .from(source)
                .map("varying", x -> {
                    if (x >= 2_000 && x < 2_120) {
                        sleep(10);
                    }
                    done[x.intValue()] = System.nanoTime();
                    return x;
                })
                .to(Sink.forEach(x -> longest[0] = Math.max(longest[0], System.nanoTime() - done[x.intValue()])))
                .run(ReactorEngine.create());
        return longest[0] / 1_000_000;
    }

    @Test
    void itemsOfASequentialStageReachTheSinkWithinTheHandOffLatencyBound() {
        long itemByItem = longestWaitMillis(itemByItem(3_000));
        long fused = longestWaitMillis(fused(3_000));
        assertThat(fused).isLessThan(itemByItem + 100);
    }

    /** Longest time the live progress of the stage did not move during the slow part. */
    private static long longestStallMillis(Source<Long> source) throws Exception {
        Execution<Long> run = Pipeline.named("stall")
                .from(source)
                .map("varying", x -> {
                    if (x >= 2_000) {
                        sleep(10);
                    }
                    return x;
                })
                .to(Sink.count())
                .start(ReactorEngine.create());
        long lastChange = System.nanoTime();
        long lastCount = -1;
        long longest = 0;
        while (!run.isDone()) {
            StageStats stats = run.progress().stages().get(0);
            long now = System.nanoTime();
            if (stats.processed() != lastCount) {
                if (lastCount > 0) {
                    longest = Math.max(longest, now - lastChange);
                }
                lastCount = stats.processed();
                lastChange = now;
            }
            Thread.sleep(5);
        }
        run.await();
        return longest / 1_000_000;
    }

    @Test
    void liveProgressOfASlowSequentialStageMoves() throws Exception {
        long itemByItem = longestStallMillis(itemByItem(2_300));
        long fused = longestStallMillis(fused(2_300));
        assertThat(fused).isLessThan(itemByItem + 200);
    }
}
