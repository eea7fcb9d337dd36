package io.github.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The options of worker processes, and the definition of a process stage. */
class ProcessWorkersTest {

    @Test
    void defaultsAreOneLazyWorker() {
        ProcessWorkers workers = ProcessWorkers.of("python3", "worker.py");

        assertThat(workers.command()).containsExactly("python3", "worker.py");
        assertThat(workers.workers()).isEqualTo(1);
        assertThat(workers.inFlightPerWorker()).isEqualTo(ProcessWorkers.DEFAULT_IN_FLIGHT);
        assertThat(workers.eager()).isFalse();
        assertThat(workers.workingDirectory()).isEmpty();
        assertThat(workers.environment()).isEmpty();
        assertThat(workers.initializer()).isEmpty();
        assertThat(workers.stopTimeout()).isEqualTo(ProcessWorkers.DEFAULT_STOP_TIMEOUT);
        assertThat(workers.describe()).isEqualTo("workers=1 in-flight=16 lazy [python3 worker.py]");
    }

    @Test
    void withCopiesAndLeavesTheOriginalAlone() {
        ProcessWorkers base = ProcessWorkers.of("w");
        ProcessWorkers changed = base.withWorkers(4).withInFlightPerWorker(2).withEagerStart(true)
                .withWorkingDirectory(Path.of("/tmp")).withEnvironment("A", "1").withEnvironment("B", "2")
                .withInitializer("init").withStopTimeout(Duration.ZERO).withMaxLineLength(10).withRestartLimit(0)
                .withStderrLines(3);

        assertThat(base.workers()).isEqualTo(1);
        assertThat(base.environment()).isEmpty();
        assertThat(changed.workers()).isEqualTo(4);
        assertThat(changed.inFlightPerWorker()).isEqualTo(2);
        assertThat(changed.eager()).isTrue();
        assertThat(changed.workingDirectory()).contains(Path.of("/tmp"));
        assertThat(changed.environment()).containsExactly(
                java.util.Map.entry("A", "1"), java.util.Map.entry("B", "2"));
        assertThat(changed.initializer()).contains("init");
        assertThat(changed.stopTimeout()).isZero();
        assertThat(changed.maxLineLength()).isEqualTo(10);
        assertThat(changed.restartLimit()).isZero();
        assertThat(changed.stderrLines()).isEqualTo(3);
    }

    @Test
    void badValuesAreRejectedNamingThem() {
        ProcessWorkers workers = ProcessWorkers.of("w");

        assertThatThrownBy(() -> ProcessWorkers.of()).hasMessageContaining("needs a program");
        assertThatThrownBy(() -> ProcessWorkers.of(" ", "x")).hasMessageContaining("needs a program");
        assertThatThrownBy(() -> workers.withWorkers(0)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> workers.withInFlightPerWorker(0)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> workers.withEnvironment("A=B", "1")).hasMessageContaining("A=B");
        assertThatThrownBy(() -> workers.withInitializer("two\nlines")).hasMessageContaining("one line");
        assertThatThrownBy(() -> workers.withStopTimeout(Duration.ofSeconds(-1))).hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> workers.withRestartLimit(-1)).hasMessageContaining("got -1");
        assertThatThrownBy(() -> workers.withMaxLineLength(0)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> workers.withStderrLines(1001)).hasMessageContaining("got 1001");
    }

    @Test
    void aProcessStageTakesItsParallelismFromItsWorkers() {
        assertThatThrownBy(() -> Pipeline.named("p").from(Source.of("a"))
                .process("w", ProcessWorkers.of("w"), StageOptions.parallel(4)).to(Sink.count()))
                .isInstanceOf(PipelineDefinitionException.class)
                .hasMessageContaining("ProcessWorkers.withWorkers(4)");
    }

    @Test
    void describePrintsTheWorkersAndTheOrder() {
        Pipeline<Long> pipeline = Pipeline.named("p").from(Source.of("a"))
                .process("w", ProcessWorkers.of("python3", "w.py").withWorkers(2),
                        StageOptions.sequential().withOrdered(false).withTimeout(Duration.ofSeconds(2)))
                .to(Sink.count());

        assertThat(pipeline.describe())
                .contains("process  'w'  workers=2 in-flight=16 lazy [python3 w.py] unordered prefetch=256 timeout=PT2S");
        assertThat(pipeline.stages().get(0).kind()).isEqualTo("process");
    }

    @Test
    void theTextCodecSendsToStringAndReturnsTheLine() {
        assertThat(ItemCodec.text().encode(42L)).isEqualTo("42");
        assertThat(ItemCodec.text().decode("answer")).isEqualTo("answer");
    }
}
