package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where stages run: rails of the parallel scheduler, blocking threads of their own, order kept or not. */
class RailsTest {

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private final ReactorEngine engine = ReactorEngine.create();

    @Test
    void aCpuBoundParallelStageRunsOnRailsOfTheParallelScheduler() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Pipeline.named("cpu")
                .from(Source.range(0, 10_000))
                .map("record-thread", x -> threads.add(Thread.currentThread().getName()), StageOptions.parallel(2))
                .to(Sink.count())
                .run(engine);

        assertThat(threads).allMatch(name -> name.startsWith("parallel-"));
        assertThat(threads).hasSize(Math.min(2, CORES));
    }

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = {8, 64})
    void aBlockingStageGetsAllTheConcurrencyItAsksForAndNeverRunsOnTheParallelScheduler(int concurrency) {
        // every call waits until `concurrency` calls are in flight at once: with fewer threads it cannot pass
        CyclicBarrier allInFlight = new CyclicBarrier(concurrency);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        RunResult<Long> result = Pipeline.named("io")
                .from(Source.range(0, concurrency * 3L))
                .map("call", x -> {
                    threads.add(Thread.currentThread().getName());
                    awaitAll(allInFlight);
                    return x;
                }, StageOptions.blocking(concurrency))
                .to(Sink.count())
                .run(engine);

        assertThat(result.value()).isEqualTo(concurrency * 3L);
        assertThat(threads).hasSize(concurrency).allMatch(name -> name.startsWith("pipeline-io-call-"));
    }

    @Test
    void aSequentialBlockingStageAfterCpuRailsLeavesTheParallelScheduler() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Pipeline.named("mixed")
                .from(Source.range(0, 1000))
                .map("cpu", x -> x + 1, StageOptions.parallel(2))
                .map("write", x -> threads.add(Thread.currentThread().getName()), StageOptions.blocking(1))
                .to(Sink.count())
                .run(engine);

        assertThat(threads).containsExactly("pipeline-mixed-write");
    }

    @Test
    void consecutiveStagesWithEqualOptionsShareTheirRails() {
        Map<Long, String> first = new ConcurrentHashMap<>();
        Map<Long, String> second = new ConcurrentHashMap<>();
        StageOptions rails = StageOptions.parallel(2);
        Pipeline.named("fused")
                .from(Source.range(0, 5000))
                .peek("first", x -> first.put(x, Thread.currentThread().getName()), rails)
                .peek("second", x -> second.put(x, Thread.currentThread().getName()), rails)
                .to(Sink.count())
                .run(engine);

        // no hand-off between the two stages: each item stays on the thread of its rail
        assertThat(second).isEqualTo(first).hasSize(5000);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4, 8})
    void anOrderedParallelStageKeepsSourceOrderUnderRandomDelays(int parallelism) {
        List<Long> result = Pipeline.named("ordered")
                .from(Source.range(0, 400))
                .map("jitter", x -> {
                    sleepRandomly();
                    return x * 10;
                }, StageOptions.blocking(parallelism).withOrdered(true).withPrefetch(8))
                .filter("drop-some", x -> x % 30 != 0, StageOptions.blocking(parallelism).withOrdered(true).withPrefetch(8))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced()
                .value();

        assertThat(result).isEqualTo(LongStream.range(0, 400).map(x -> x * 10).filter(x -> x % 30 != 0).boxed().toList());
    }

    @Test
    void anOrderedCpuStageWithFanOutKeepsSourceOrder() {
        List<Long> result = Pipeline.named("ordered-fan-out")
                .from(Source.range(0, 2000))
                .flatMap("twice", x -> List.of(x, -x), StageOptions.parallel(4).withOrdered(true))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced()
                .value();

        assertThat(result).isEqualTo(LongStream.range(0, 2000).boxed().flatMap(x -> java.util.stream.Stream.of(x, -x)).toList());
    }

    @Test
    void anUnorderedParallelStageLosesNothingAndDoublesNothing() {
        List<Long> result = Pipeline.named("unordered")
                .from(Source.range(0, 2000))
                .map("jitter", x -> {
                    sleepRandomly();
                    return x;
                }, StageOptions.blocking(8))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced()
                .value();

        assertThat(result).containsExactlyInAnyOrderElementsOf(LongStream.range(0, 2000).boxed().toList());
    }

    @Test
    void twoPipelinesRunSideBySideWithoutInterfering() {
        var a = Pipeline.named("left").from(Source.range(0, 100_000))
                .map("inc", x -> x + 1, StageOptions.parallel(2)).to(Sink.reduce(0L, Long::sum)).start(engine);
        var b = Pipeline.named("right").from(Source.range(0, 100_000))
                .map("dec", x -> x - 1, StageOptions.parallel(2)).to(Sink.reduce(0L, Long::sum)).start(engine);

        long n = 100_000;
        assertThat(a.await().verifyBalanced().value()).isEqualTo(n * (n - 1) / 2 + n);
        assertThat(b.await().verifyBalanced().value()).isEqualTo(n * (n - 1) / 2 - n);
    }

    private static void awaitAll(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fewer calls in flight than the stage's concurrency", e);
        }
    }

    private static void sleepRandomly() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
