package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;

/**
 * BlockHound is installed for the whole test suite (blockhound-junit-platform): a blocking call on a
 * CPU rail fails, while blocking stages, the source and the sink run on threads meant for blocking.
 */
class BlockingCallsTest {

    private final ReactorEngine engine = ReactorEngine.create();

    private static long sleepy(long x) {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return x;
    }

    @Test
    void aBlockingCallOnACpuRailIsCaughtAndNamesTheStage() {
        assertThatThrownBy(() -> Pipeline.named("misplaced").from(Source.range(0, 10))
                .map("sleeps-on-cpu", BlockingCallsTest::sleepy, StageOptions.parallel(2))
                .to(Sink.count()).run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("'sleeps-on-cpu'")
                .hasCauseInstanceOf(BlockingOperationError.class);
    }

    @Test
    void blockingStagesSourcesAndSinksAreExempt() {
        long count = Pipeline.named("well-placed").from(Source.generate(() -> sleepy(1), 20))
                .map("cpu", x -> x + 1, StageOptions.parallel(2))
                .map("sleeps-on-its-own-threads", BlockingCallsTest::sleepy, StageOptions.blocking(4))
                .map("sleeps-sequentially", BlockingCallsTest::sleepy, StageOptions.blocking(1))
                .to(Sink.forEach(BlockingCallsTest::sleepy))
                .run(engine).verifyBalanced().value();
        assertThat(count).isEqualTo(20);
    }
}
