package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineExecutionException;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.SinkWriter;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A JVM that can start no more threads (the kept ones all taken): the run fails as a run, naming the
 * thread it could not have, its sink aborted and its threads given back, instead of leaving the opened
 * sink behind with an exception from the engine's start.
 */
class ThreadStartFailureTest {

    /** Lends no kept thread (none was ever started) and fails to start a new one, as the JVM does. */
    private static BlockingThreads noThreads() {
        return new BlockingThreads(Duration.ofSeconds(1), thread -> {
            throw new OutOfMemoryError("unable to create native thread: possibly out of memory (simulated)");
        });
    }

    @Test
    void aRunThatCannotStartItsSinksThreadFailsAndAbortsTheSink() {
        AtomicReference<Throwable> aborted = new AtomicReference<>();
        Sink<Long, Long> recording = new Sink<>() {
            @Override
            public SinkWriter<Long, Long> open() {
                return new SinkWriter<>() {
                    private long count;

                    @Override
                    public void accept(Long item) {
                        count++;
                    }

                    @Override
                    public Long complete() {
                        return count;
                    }

                    @Override
                    public void abort(Throwable cause) {
                        aborted.set(cause);
                    }
                };
            }

            @Override
            public String description() {
                return "a count that records its abort";
            }
        };
        ReactorEngine engine = ReactorEngine.create().withThreads(noThreads());

        assertThatThrownBy(() -> Pipeline.named("no-threads")
                .from(Source.range(0, 10))
                .map("double", x -> 2 * x, StageOptions.parallel(2))
                .to(recording)
                .run(engine))
                .isInstanceOf(PipelineExecutionException.class)
                .hasMessageContaining("no thread could be started for pipeline-no-threads-sink")
                .hasRootCauseInstanceOf(OutOfMemoryError.class);
        assertThat(aborted.get()).as("the sink was aborted").isNotNull()
                .hasMessageContaining("no thread could be started");
    }
}
