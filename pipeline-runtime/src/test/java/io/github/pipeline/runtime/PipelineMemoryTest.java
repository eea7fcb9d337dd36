package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.SinkCapacityExceededException;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.TestSources.CountingSource;
import org.junit.jupiter.api.Test;

/**
 * Runs in its own Surefire execution with {@code -Xmx64m} (see the parent POM): far more data flows
 * through than fits in the heap, so these pass only if results are released as soon as they are used.
 */
class PipelineMemoryTest {

    private static final long ITEMS = 20_000_000;

    @Test
    void theHeapIsSmall() {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(64L * 1024 * 1024);
    }

    @Test
    void twentyMillionKilobyteItemsFlowThroughAParallelMapIn64Megabytes() {
        // 20 GB allocated in all, about 300 times the heap
        RunResult<Long> result = Pipeline.named("memory")
                .from(Source.range(0, ITEMS))
                .map("allocate-1kb", x -> {
                    byte[] payload = new byte[1024];
                    payload[(int) (x % 1024)] = 1;
                    return payload;
                }, StageOptions.parallel())
                .map("checksum", payload -> payload.length, StageOptions.parallel())
                .to(Sink.count())
                .run(ReactorEngine.create())
                .verifyBalanced();

        assertThat(result.value()).isEqualTo(ITEMS);
    }

    @Test
    void aListSinkPastItsDefaultMaximumFailsCleanlyInsteadOfRunningOutOfMemory() {
        CountingSource endless = CountingSource.endless();
        assertThatThrownBy(() -> Pipeline.named("unbounded-list").from(endless).to(Sink.<Long>toList())
                .run(ReactorEngine.create()))
                .isInstanceOf(StageFailedException.class)
                .hasCauseInstanceOf(SinkCapacityExceededException.class);
        assertThat(endless.closed).isTrue();
    }
}
