package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.RetryPolicy;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.StageStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The engine's meters, read from a {@link SimpleMeterRegistry}: names, tags, counts, gauges, run timers. */
class EngineMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ReactorEngine engine = ReactorEngine.create(registry);

    /** Every outcome at once: filtered, skipped, dead-lettered, retried, fan-out; sequential and on rails. */
    private static Pipeline<Long> everyOutcome(List<Object> deadLetters) {
        // per item, so two rails cannot make one item fail three tries in a row (a shared counter did)
        java.util.Set<Long> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return Pipeline.named("outcomes")
                .from(Source.range(0, 3000))
                .filter("odd", x -> x % 2 == 1, StageOptions.parallel(2))
                .map("skips", x -> {
                    if (x % 7 == 0) {
                        throw new IllegalStateException("seven");
                    }
                    return x;
                }, StageOptions.parallel(3).withErrorPolicy(ErrorPolicy.skip()))
                .map("letters", x -> {
                    if (x % 11 == 0) {
                        throw new IllegalStateException("eleven");
                    }
                    return x;
                }, StageOptions.sequential().withErrorPolicy(ErrorPolicy.deadLetter(Sink.forEach(deadLetters::add))))
                .map("retries", x -> {
                    if (x % 13 == 0 && failedOnce.add((long) x)) {
                        throw new IllegalStateException("the first try");
                    }
                    return x;
                }, StageOptions.parallel(2).withErrorPolicy(ErrorPolicy.retry(RetryPolicy.maxAttempts(3))))
                .flatMap("twice", x -> List.of(x, x))
                .to(Sink.count());
    }

    private double counter(PipelineMeter meter, String stage) {
        FunctionCounter counter = registry.get(meter.meterName()).tag("pipeline", "outcomes").tag("stage", stage)
                .functionCounter();
        return counter.count();
    }

    @Test
    void countsEqualTheRunsAccountingExactly() {
        List<Object> deadLetters = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunResult<Long> first = everyOutcome(deadLetters).run(engine).verifyBalanced();
        RunResult<Long> second = everyOutcome(deadLetters).run(engine).verifyBalanced();

        for (StageStats s : first.stages()) {
            StageStats t = second.stage(s.name());
            assertThat(counter(PipelineMeter.STAGE_RECEIVED, s.name())).as(s.name()).isEqualTo(s.received() + t.received());
            assertThat(counter(PipelineMeter.STAGE_PROCESSED, s.name())).isEqualTo(s.processed() + t.processed());
            assertThat(counter(PipelineMeter.STAGE_EMITTED, s.name())).isEqualTo(s.emitted() + t.emitted());
            assertThat(counter(PipelineMeter.STAGE_FILTERED, s.name())).isEqualTo(s.filtered() + t.filtered());
            assertThat(counter(PipelineMeter.STAGE_SKIPPED, s.name())).isEqualTo(s.skipped() + t.skipped());
            assertThat(counter(PipelineMeter.STAGE_DEAD_LETTERED, s.name()))
                    .isEqualTo(s.deadLettered() + t.deadLettered());
            assertThat(counter(PipelineMeter.STAGE_RETRIES, s.name())).isEqualTo(s.retried() + t.retried());
            FunctionTimer calls = registry.get(PipelineMeter.STAGE_CALLS.meterName()).tag("stage", s.name())
                    .functionTimer();
            assertThat(calls.count()).isEqualTo(s.received() + s.retried() + t.received() + t.retried());
        }
        // every outcome actually happened
        assertThat(first.stage("odd").filtered()).isEqualTo(1500);
        assertThat(first.stage("skips").skipped()).isPositive();
        assertThat(first.stage("letters").deadLettered()).isPositive();
        assertThat(first.stage("retries").retried()).isPositive();
        assertThat(first.stage("twice").emitted()).isEqualTo(2 * first.stage("twice").processed());
        assertThat(deadLetters).hasSize((int) (first.stage("letters").deadLettered() + second.stage("letters").deadLettered()));

        assertThat(registry.get(PipelineMeter.SOURCE_ITEMS.meterName()).functionCounter().count())
                .isEqualTo(first.sourceItems() + second.sourceItems());
        assertThat(registry.get(PipelineMeter.SINK_ITEMS.meterName()).functionCounter().count())
                .isEqualTo(first.sinkItems() + second.sinkItems());
        Timer runs = registry.get(PipelineMeter.RUNS.meterName()).tag("status", "succeeded").timer();
        assertThat(runs.count()).isEqualTo(2);
    }

    @Test
    void everyRegisteredMeterIsListedWithItsTypeUnitDescriptionAndTags() {
        CountDownLatch release = new CountDownLatch(1);
        Execution<Long> running = gated("listed", release).start(engine);
        awaitGauges("listed");
        Map<String, PipelineMeter> listed = Arrays.stream(PipelineMeter.values())
                .collect(Collectors.toMap(PipelineMeter::meterName, Function.identity()));
        List<Meter> meters = registry.getMeters();
        assertThat(meters.stream().map(m -> m.getId().getName()).distinct())
                .containsExactlyInAnyOrderElementsOf(listed.keySet().stream().filter(n -> !n.equals("pipeline.runs"))
                        .filter(n -> !n.startsWith("pipeline.stage.worker.")) // process stages only: ProcessStageTest
                        .toList());
        release.countDown();
        running.await();
        meters = registry.getMeters();
        assertThat(meters).anyMatch(m -> m.getId().getName().equals("pipeline.runs"));
        for (Meter meter : meters) {
            PipelineMeter expected = listed.get(meter.getId().getName());
            assertThat(expected).as(meter.getId().getName()).isNotNull();
            assertThat(meter.getId().getDescription()).isEqualTo(expected.description());
            if (expected.type() != PipelineMeter.Type.TIMER) {
                assertThat(meter.getId().getBaseUnit()).isEqualTo(expected.baseUnit());
            }
            assertThat(meter.getId().getType()).isEqualTo(switch (expected.type()) {
                case COUNTER -> Meter.Type.COUNTER;
                case GAUGE -> Meter.Type.GAUGE;
                case TIMER -> Meter.Type.TIMER;
            });
            assertThat(meter.getId().getTags()).extracting(Tag::getKey).containsExactlyInAnyOrderElementsOf(expected.tags());
            assertThat(meter.getId().getTag("pipeline")).isEqualTo("listed");
            String stage = meter.getId().getTag("stage");
            if (stage != null) {
                assertThat(stage).isIn("wait", "double");
            }
        }
    }

    private static Pipeline<Long> gated(String name, CountDownLatch release) {
        return Pipeline.named(name)
                .from(Source.range(0, 100))
                // ordered, so that the stall timer of its ordered merge is registered and listed too
                .peek("wait", x -> awaitQuietly(release), StageOptions.blocking(2).withOrdered(true))
                .map("double", x -> 2 * x)
                .to(Sink.count());
    }

    private void awaitGauges(String pipeline) {
        assertThat(registry.find(PipelineMeter.STAGE_IN_FLIGHT.meterName()).tag("pipeline", pipeline).gauges())
                .isNotEmpty();
    }

    @Test
    void stageGaugesExistWhileARunIsUnderWayAndAreRemovedWhenItEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Execution<Long> running = gated("gauged", release).start(engine);
        awaitGauges("gauged");
        Gauge active = registry.get(PipelineMeter.RUNS_ACTIVE.meterName()).tag("pipeline", "gauged").gauge();
        assertThat(active.value()).isEqualTo(1);
        // the two blocking slots hold one item each, waiting: they are in flight in 'wait'
        Gauge inFlight = registry.get(PipelineMeter.STAGE_IN_FLIGHT.meterName()).tag("stage", "wait").gauge();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.value() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(inFlight.value()).isEqualTo(2);
        assertThat(registry.get(PipelineMeter.STAGE_BUFFERED.meterName()).tag("stage", "wait").gauge().value())
                .isPositive();

        release.countDown();
        running.await().verifyBalanced();

        assertThat(registry.find(PipelineMeter.STAGE_IN_FLIGHT.meterName()).gauges()).isEmpty();
        assertThat(registry.find(PipelineMeter.STAGE_BUFFERED.meterName()).gauges()).isEmpty();
        assertThat(registry.find(PipelineMeter.SINK_BUFFERED.meterName()).gauges()).isEmpty();
        assertThat(active.value()).isZero();
    }

    @Test
    void manyRunsOfManyPipelinesKeepOneSetOfMetersPerPipelineName() {
        for (int i = 0; i < 5; i++) {
            simple("p" + i).run(engine);
        }
        int afterFirstRuns = registry.getMeters().size();
        for (int run = 0; run < 40; run++) {
            simple("p" + (run % 5)).run(engine);
        }
        assertThat(registry.getMeters()).hasSize(afterFirstRuns);
        assertThat(registry.find(PipelineMeter.STAGE_IN_FLIGHT.meterName()).gauges()).isEmpty();
        assertThat(registry.get(PipelineMeter.RUNS.meterName()).tag("pipeline", "p3").timer().count()).isEqualTo(9);
        assertThat(registry.get(PipelineMeter.STAGE_RECEIVED.meterName()).tag("pipeline", "p3").functionCounter()
                .count()).isEqualTo(9 * 10);
    }

    private static Pipeline<Long> simple(String name) {
        return Pipeline.named(name).from(Source.range(0, 10)).map("id", x -> x).to(Sink.count());
    }

    @Test
    void enginesSharingARegistryAddUpTheirRuns() {
        simple("shared").run(ReactorEngine.create(registry));
        simple("shared").run(ReactorEngine.create(registry).withProfiling(false));
        simple("shared").run(engine);
        assertThat(registry.get(PipelineMeter.STAGE_RECEIVED.meterName()).tag("pipeline", "shared").functionCounter()
                .count()).isEqualTo(30);
    }

    @Test
    void runDurationIsTimedOnTheRegistrysClockByStatus() throws Exception {
        MockClock clock = new MockClock();
        SimpleMeterRegistry timed = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        ReactorEngine timedEngine = ReactorEngine.create(timed);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Execution<Long> running = Pipeline.named("clocked")
                .from(Source.range(0, 10))
                .peek("gate", x -> {
                    started.countDown();
                    awaitQuietly(release);
                })
                .to(Sink.count())
                .start(timedEngine);
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        clock.add(Duration.ofSeconds(5));
        release.countDown();
        running.await();

        Timer succeeded = timed.get(PipelineMeter.RUNS.meterName()).tag("status", "succeeded").timer();
        assertThat(succeeded.count()).isEqualTo(1);
        assertThat(succeeded.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5000);

        assertThatThrownBy(() -> Pipeline.named("clocked").from(Source.range(0, 10))
                .map("gate", x -> 1 / (x - 3)).to(Sink.count()).run(timedEngine))
                .isInstanceOf(StageFailedException.class);
        assertThat(timed.get(PipelineMeter.RUNS.meterName()).tag("status", "failed").timer().count()).isEqualTo(1);

        CountDownLatch never = new CountDownLatch(1);
        Execution<Long> cancelled = Pipeline.named("clocked").from(Source.range(0, 10))
                .peek("gate", x -> awaitQuietly(never), StageOptions.blocking(1)).to(Sink.count()).start(timedEngine);
        cancelled.cancel();
        assertThatThrownBy(cancelled::await).isInstanceOf(PipelineCancelledException.class);
        assertThat(timed.get(PipelineMeter.RUNS.meterName()).tag("status", "cancelled").timer().count()).isEqualTo(1);
        assertThat(timed.get(PipelineMeter.RUNS_ACTIVE.meterName()).gauge().value()).isZero();
    }

    @Test
    void aPublishedPipelineIsCountedToo() {
        StepVerifier.create(Flux.from(Pipeline.named("published").from(Source.range(0, 10)).map("id", x -> x)
                        .toPublisher(engine)))
                .expectNextCount(10)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        assertThat(registry.get(PipelineMeter.STAGE_EMITTED.meterName()).tag("pipeline", "published")
                .functionCounter().count()).isEqualTo(10);
        assertThat(registry.get(PipelineMeter.RUNS.meterName()).tag("pipeline", "published").tag("status", "succeeded")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void theDefaultEngineHasARegistryOfItsOwn() {
        ReactorEngine plain = ReactorEngine.create();
        simple("own").run(plain);
        MeterRegistry own = plain.meterRegistry();
        assertThat(own).isInstanceOf(SimpleMeterRegistry.class).isNotSameAs(registry);
        assertThat(own.get(PipelineMeter.SINK_ITEMS.meterName()).functionCounter().count()).isEqualTo(10);
        assertThat(plain.isProfiling()).isTrue();
        assertThat(plain.withProfiling(false).isProfiling()).isFalse();
        assertThat(plain.withMeterRegistry(registry).meterRegistry()).isSameAs(registry);
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
