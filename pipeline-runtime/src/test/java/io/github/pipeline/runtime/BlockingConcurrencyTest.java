package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * A blocking stage that asks for n concurrent calls gets n: every call below waits until all n have
 * started, so a stage with fewer threads than asked for could never finish (the wait gives up after
 * 30 s and the item fails, naming the shortfall).
 */
class BlockingConcurrencyTest {

    private final ReactorEngine engine = ReactorEngine.create();

    @Test
    void aBlockingStageRunsAsManyCallsAtOnceAsItsConcurrency() {
        assertThat(allStartTogether(StageOptions.blocking(256), 256).value()).isEqualTo(256);
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadsRunThousandsOfCallsAtOnce() {
        RunResult<Long> result = allStartTogether(StageOptions.virtualThreads(2_000), 2_000);
        assertThat(result.value()).isEqualTo(2_000);
        assertThat(ThreadLeaks.liveThreadsOf("together")).isEmpty();
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void virtualThreadsOnAnOlderJavaAreAClearErrorWhenTheOptionsAreMade() {
        assertThatThrownBy(() -> StageOptions.virtualThreads(8))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("Java 21");
    }

    @Test
    void anEngineKeepsItsBlockingThreadsForItsNextRunUnderThatRunsName() {
        Set<Thread> first = threadsOfOneRun("kept-first");
        Set<Thread> keptBefore = keptThreads();
        Set<Thread> second = threadsOfOneRun("kept-second");

        assertThat(first).hasSize(8);
        assertThat(keptBefore).containsAll(first); // back with the engine, alive and idle
        // the next run took kept threads for its calls (its source and sink threads are kept threads too,
        // so which of them serve its calls varies): none was started for it
        assertThat(second).hasSize(8);
        assertThat(keptBefore).containsAll(second);
        assertThat(ThreadLeaks.liveThreadsOf("kept-first")).isEmpty();
        assertThat(ThreadLeaks.liveThreadsOf("kept-second")).isEmpty();
    }

    /** The engines' kept threads alive now and waiting to be lent. */
    private static Set<Thread> keptThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("pipeline-engine-blocking-idle"))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Runs 8 calls at once on a blocking stage of 8 and returns the threads, checking their names. */
    private Set<Thread> threadsOfOneRun(String pipeline) {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch started = new CountDownLatch(8);
        Pipeline.named(pipeline)
                .from(Source.range(0, 8))
                .map("call", x -> {
                    assertThat(Thread.currentThread().getName()).startsWith("pipeline-" + pipeline + "-call-");
                    threads.add(Thread.currentThread());
                    started.countDown();
                    try {
                        return started.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }, StageOptions.blocking(8))
                .to(Sink.count())
                .run(engine)
                .verifyBalanced();
        return threads;
    }

    private RunResult<Long> allStartTogether(StageOptions options, int calls) {
        CountDownLatch started = new CountDownLatch(calls);
        return Pipeline.named("together")
                .from(Source.range(0, calls))
                .map("wait-for-all", x -> {
                    started.countDown();
                    try {
                        if (!started.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("only " + (calls - started.getCount()) + " of "
                                    + calls + " calls started together");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    return x;
                }, options)
                .to(Sink.count())
                .run(engine)
                .verifyBalanced();
    }
}
