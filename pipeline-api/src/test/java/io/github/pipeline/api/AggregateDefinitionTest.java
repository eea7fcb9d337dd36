package io.github.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Aggregate stages are checked when the pipeline is built and described with their memory bound. */
class AggregateDefinitionTest {

    private static final Aggregator<String, List<String>, Integer> NO_CODEC = Aggregators.of(ArrayList::new,
            (list, word) -> {
                list.add(word);
                return list;
            }, (a, b) -> {
                a.addAll(b);
                return a;
            }, List::size);

    @Test
    void anAggregatorThatCannotSpillIsRejectedUnlessTheStageNeverSpills() {
        assertThatThrownBy(() -> Pipeline.named("p").from(Source.of("a", "b")).aggregate("keep", w -> w, NO_CODEC))
                .isInstanceOf(PipelineDefinitionException.class)
                .hasMessageStartingWith("Stage 'keep' aggregates with 'custom', which has no accumulator codec, "
                        + "so the stage cannot spill to disk")
                .hasMessageContaining("AggregateOptions.withoutSpilling()");

        Pipeline<List<KeyedResult<String, Integer>>> inMemory = Pipeline.named("p").from(Source.of("a", "b"))
                .aggregate("keep", w -> w, NO_CODEC, AggregateOptions.defaults().withoutSpilling())
                .to(Sink.toList());
        assertThat(inMemory.stages()).singleElement().isInstanceOf(AggregateStage.class);
    }

    @Test
    void anAggregateStageIsSequentialAndDescribesItsMemoryBoundAndSpilling() {
        String description = Pipeline.named("word-count")
                .from(Source.of("a b", "b c"))
                .flatMap("split", line -> List.of(line.split(" ")))
                .aggregate("count-words", word -> word, Aggregators.count(),
                        AggregateOptions.defaults().withMaxKeysInMemory(100_000).withSpillDirectory(Path.of("/scratch"))
                                .withErrorPolicy(ErrorPolicy.skip()))
                .aggregate("by-length", r -> r.key().length(), Comparator.reverseOrder(), SpillCodec.integers(),
                        Aggregators.count(), AggregateOptions.defaults().withoutSpilling())
                .to(Sink.toList())
                .describe();

        assertThat(description).isEqualTo(String.join(System.lineSeparator(),
                "pipeline 'word-count'",
                "  source   iterable of 2 items",
                "  flatMap  'split'       sequential prefetch=256",
                "  aggregate 'count-words' sequential max-keys=100000 spill-to=/scratch fan-in=64 on-error=skip "
                        + "aggregator=count key-order=natural",
                "  aggregate 'by-length'   sequential in-memory (no spilling) aggregator=count key-order=comparator",
                "  sink     list (max 1000000 items)", ""));
    }

    @Test
    void optionsAreImmutableAndCheckTheirValues() {
        AggregateOptions defaults = AggregateOptions.defaults();
        AggregateOptions small = defaults.withMaxKeysInMemory(10).withMergeFanIn(2);

        assertThat(defaults.isMaxKeysInMemoryAutomatic()).isTrue();
        assertThat(defaults.maxKeysInMemory()).isEqualTo((int) Math.max(AggregateOptions.MIN_AUTOMATIC_KEYS,
                Runtime.getRuntime().maxMemory() / AggregateOptions.HEAP_SHARE_DIVISOR
                        / AggregateOptions.ESTIMATED_BYTES_PER_KEY));
        assertThat(defaults.mergeFanIn()).isEqualTo(AggregateOptions.DEFAULT_MERGE_FAN_IN);
        assertThat(defaults.spillDirectory()).isEmpty();
        assertThat(small.maxKeysInMemory()).isEqualTo(10);
        assertThat(small.mergeFanIn()).isEqualTo(2);
        assertThat(small.spills()).isTrue();
        assertThat(small.withoutSpilling().spills()).isFalse();
        assertThat(small.withoutSpilling().maxKeysInMemory()).isEqualTo(Integer.MAX_VALUE);
        assertThat(small).isEqualTo(AggregateOptions.defaults().withMaxKeysInMemory(10).withMergeFanIn(2))
                .hasSameHashCodeAs(AggregateOptions.defaults().withMaxKeysInMemory(10).withMergeFanIn(2));

        assertThatThrownBy(() -> defaults.withMaxKeysInMemory(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxKeysInMemory must be at least 1, got 0");
        assertThatThrownBy(() -> defaults.withMergeFanIn(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mergeFanIn must be between 2 and 1024, got 1");
        assertThatThrownBy(() -> defaults.withErrorPolicy(ErrorPolicy.retry(RetryPolicy.maxAttempts(3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("an aggregate stage does not retry items");
    }
}
