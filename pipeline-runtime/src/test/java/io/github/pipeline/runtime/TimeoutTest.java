package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineTimeoutException;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.StageStats;
import io.github.pipeline.runtime.TestSources.CountingSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Per-item and per-run timeouts, in virtual time: no test waits for a delay to pass. The runs' timer is
 * a {@link VirtualTimeScheduler} the test moves by hand.
 */
class TimeoutTest {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    /** Counted down when a hanging call has started (and so its timeout is armed). */
    private final CountDownLatch hanging = new CountDownLatch(1);

    /** Blocks until interrupted: a call that hangs. */
    private int hang(int x) {
        hanging.countDown();
        try {
            new CountDownLatch(1).await();
            return x;
        } catch (InterruptedException e) {
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Test
    void aHungBlockingCallEndsAtItsTimeoutAndTheStagesPolicySkipsIt() {
        Pipeline<Long> pipeline = Pipeline.named("hung")
                .from(Source.fromPublisher(Flux.just(1, 2, 3)))
                .map("call", x -> x == 2 ? hang(x) : x * 10,
                        StageOptions.blocking(3).withTimeout(CALL_TIMEOUT).withErrorPolicy(ErrorPolicy.skip()))
                .to(Sink.count());
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        RunResources resources = new RunResources("hung", clock);
        RunState state = new RunState(pipeline);

        StepVerifier.create(new PipelineAssembly(state, resources).assemble())
                .expectSubscription()
                .then(this::awaitHangingCall)
                .then(() -> clock.advanceTimeBy(CALL_TIMEOUT))
                // 10 and 30, whether their rails ran them before the timeout or queued behind the hung call
                .expectNextCount(2)
                .expectComplete()
                .verify(Duration.ofSeconds(30));

        assertThat(state.stages.get(0).snapshot()).isEqualTo(new StageStats("call", "map", 3, 2, 2, 0, 1, 0, 0));
        resources.shutdown();
    }

    @Test
    void aTimedOutCallIsDeadLetteredWithATimeoutException() throws Exception {
        List<DeadLetter> letters = new CopyOnWriteArrayList<>();
        Sink<DeadLetter, Long> deadLetters = Sink.forEach(letters::add);
        Pipeline<Long> pipeline = Pipeline.named("late")
                .from(Source.fromPublisher(Flux.just(7)))
                .map("call", this::hang, StageOptions.blocking(1).withTimeout(CALL_TIMEOUT)
                        .withErrorPolicy(ErrorPolicy.deadLetter(deadLetters)))
                .to(Sink.count());
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        RunResources resources = new RunResources("late", clock);
        // what the engine does when a run starts: open the stage's dead-letter sink
        RunState state = RunState.open(pipeline, resources);

        StepVerifier.create(new PipelineAssembly(state, resources).assemble())
                .expectSubscription()
                .then(this::awaitHangingCall)
                .then(() -> clock.advanceTimeBy(CALL_TIMEOUT.minusMillis(1)))
                .then(() -> assertThat(letters).isEmpty())
                .then(() -> clock.advanceTimeBy(Duration.ofMillis(1)))
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        state.completeDeadLetters(); // as the engine does at the end: waits for the dead-letter thread

        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.item()).isEqualTo(7);
            assertThat(letter.error()).isInstanceOf(TimeoutException.class).hasMessageContaining("PT5S");
        });
        resources.shutdown();
    }

    /** Virtual time must not move on before the hanging call has armed its timeout. */
    private void awaitHangingCall() {
        try {
            assertThat(hanging.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRunPastItsTimeoutIsStoppedAndSaysSo() {
        CountingSource endless = CountingSource.endless();
        VirtualTimeScheduler clock = VirtualTimeScheduler.getOrSet();
        try {
            Execution<Long> execution = Pipeline.named("too-long").from(endless).to(Sink.count())
                    .withTimeout(Duration.ofHours(1))
                    .start(ReactorEngine.create());
            assertThat(execution.await(Duration.ofMillis(50))).isEmpty();

            clock.advanceTimeBy(Duration.ofHours(1));

            assertThatThrownBy(execution::await)
                    .isInstanceOf(PipelineTimeoutException.class)
                    .hasMessage("Pipeline 'too-long' did not finish within PT1H and was stopped");
            assertThat(endless.closed).isTrue();
            assertThat(ThreadLeaks.liveThreadsOf("too-long")).isEmpty();
        } finally {
            VirtualTimeScheduler.reset();
        }
    }

    @Test
    void aRunWhoseSinkIsStuckInACallStillEndsWhenTimedOut() {
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        VirtualTimeScheduler clock = VirtualTimeScheduler.getOrSet();
        try {
            Execution<Long> execution = Pipeline.named("stuck-sink").from(Source.range(0, 10))
                    .to(Sink.forEach(x -> {
                        stuck.countDown();
                        try {
                            never.await(); // a remote write that never answers (but can be interrupted)
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }))
                    .withTimeout(Duration.ofMinutes(1))
                    .start(ReactorEngine.create());
            assertThat(stuck.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            clock.advanceTimeBy(Duration.ofMinutes(1));
            assertThat(execution.isDone()).isFalse(); // the sink has not heard the stop yet
            clock.advanceTimeBy(ReactorExecution.STOP_GRACE);

            assertThatThrownBy(execution::await)
                    .isInstanceOf(PipelineTimeoutException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).singleElement().asString()
                            .contains("did not stop within 5 s"));
            assertThat(ThreadLeaks.liveThreadsOf("stuck-sink")).isEmpty();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            VirtualTimeScheduler.reset();
        }
    }

    @Test
    void aRunWithinItsTimeoutIsUnaffected() {
        assertThat(Pipeline.named("quick").from(Source.range(0, 100)).to(Sink.count())
                .withTimeout(Duration.ofMinutes(10)).run(ReactorEngine.create()).value()).isEqualTo(100);
    }
}
