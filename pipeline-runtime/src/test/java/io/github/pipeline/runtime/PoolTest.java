package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pair;
import io.github.pipeline.api.Pool;
import io.github.pipeline.api.StageFailedException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The pool-style convenience of the seed: map, starmap and map_async, results in input order. */
class PoolTest {

    private static final List<Long> ONE_TO_SIX = List.of(1L, 2L, 3L, 4L, 5L, 6L);

    @Test
    void mapReturnsResultsInInputOrder() {
        List<Long> inputs = LongStream.range(0, 5000).boxed().toList();
        List<Long> cubes = Pool.create(4).map(inputs, x -> {
            double work = 0;
            for (int i = ThreadLocalRandom.current().nextInt(2_000); i > 0; i--) {
                work += Math.sqrt(i); // uneven work per item, so the rails finish out of order
            }
            return work >= 0 ? x * x * x : 0;
        });
        assertThat(cubes).isEqualTo(inputs.stream().map(x -> x * x * x).toList());
    }

    @Test
    void theSeedsExamples() {
        Pool pool = Pool.create();
        assertThat(pool.map(ONE_TO_SIX, x -> x * x * x)).containsExactly(1L, 8L, 27L, 64L, 125L, 216L);
        assertThat(pool.starmap(Pair.zip(ONE_TO_SIX, ONE_TO_SIX), (x, y) -> x * y))
                .containsExactly(1L, 4L, 9L, 16L, 25L, 36L);
        assertThat(pool.starmap(Pair.zip(ONE_TO_SIX, List.of(10L, 10L, 10L, 10L, 10L, 10L)), (x, y) -> x * y))
                .containsExactly(10L, 20L, 30L, 40L, 50L, 60L);
    }

    @Test
    void mapAsyncReturnsAHandleToWaitOn() {
        Execution<List<Long>> results = Pool.create(2).mapAsync(ONE_TO_SIX, x -> x + 1);
        assertThat(results.result()).containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(results.isDone()).isTrue();
        Execution<List<Long>> products = Pool.create(2).starmapAsync(Pair.zip(ONE_TO_SIX, ONE_TO_SIX), Math::multiplyExact);
        assertThat(products.result()).containsExactly(1L, 4L, 9L, 16L, 25L, 36L);
    }

    @Test
    void aBlockingPoolRunsOffTheParallelScheduler() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Integer> out = Pool.create(3).blocking().withEngine(ReactorEngine.create())
                .map(List.of(1, 2, 3, 4, 5, 6), x -> {
                    threads.add(Thread.currentThread().getName());
                    return x;
                });
        assertThat(out).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(threads).noneMatch(name -> name.startsWith("parallel-"));
    }

    @Test
    void aFailureNamesTheItem() {
        assertThatThrownBy(() -> Pool.create(2).map(List.of(1, 2, 0, 4), x -> 12 / x))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("pool-map")
                .hasMessageContaining("on item 0");
    }
}
