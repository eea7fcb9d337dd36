package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RetryPolicy;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.StageStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Skip, dead-letter and retry, per stage, on every way a stage can run; nothing lost, nothing doubled. */
class ErrorPolicyTest {

    private static final long ITEMS = 5_000;
    private static final long SEED = 42;

    private final ReactorEngine engine = ReactorEngine.create();

    /** The ways a stage can run. */
    enum Mode {
        SEQUENTIAL(StageOptions.sequential()),
        RAILS(StageOptions.parallel(4)),
        ORDERED_RAILS(StageOptions.parallel(4).withOrdered(true)),
        BLOCKING(StageOptions.blocking(8)),
        ORDERED_BLOCKING(StageOptions.blocking(8).withOrdered(true));

        final StageOptions options;

        Mode(StageOptions options) {
            this.options = options;
        }
    }

    /** About one item in ten fails, chosen by a hash of the item and a fixed seed. */
    private static boolean failsOn(long x) {
        long h = (x + SEED) * 0x9E3779B97F4A7C15L;
        return Long.remainderUnsigned(h ^ (h >>> 29), 10) == 0;
    }

    private static long triple(long x) {
        if (failsOn(x)) {
            throw new IllegalArgumentException("bad item " + x);
        }
        return 3 * x;
    }

    private static List<Long> expectedSurvivors() {
        return LongStream.range(0, ITEMS).filter(x -> !failsOn(x)).map(x -> 3 * x).boxed().toList();
    }

    private static Set<Long> expectedFailures() {
        return LongStream.range(0, ITEMS).filter(ErrorPolicyTest::failsOn).boxed().collect(Collectors.toSet());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void skipDropsExactlyTheFailingItemsAndTheRunBalances(Mode mode) {
        RunResult<List<Long>> result = Pipeline.named("skip")
                .from(Source.range(0, ITEMS))
                .map("triple", ErrorPolicyTest::triple, mode.options.withErrorPolicy(ErrorPolicy.skip()))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertSurvivors(result.value(), mode);
        StageStats stats = result.stage("triple");
        assertThat(stats.skipped()).isEqualTo(expectedFailures().size());
        assertThat(stats.processed()).isEqualTo(ITEMS - expectedFailures().size());
        assertThat(stats.deadLettered()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void deadLetteredItemsAreExactlyTheFailedOnesWithStageAttemptsAndCause(Mode mode) {
        List<DeadLetter> letters = new ArrayList<>();
        RunResult<List<Long>> result = Pipeline.named("dead-letters")
                .from(Source.range(0, ITEMS))
                .map("triple", ErrorPolicyTest::triple,
                        mode.options.withErrorPolicy(ErrorPolicy.deadLetter(Sink.forEach(letters::add))))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertSurvivors(result.value(), mode);
        List<Long> failedItems = letters.stream().map(l -> (Long) l.item()).toList();
        assertThat(failedItems).doesNotHaveDuplicates();
        assertThat(Set.copyOf(failedItems)).isEqualTo(expectedFailures());
        assertThat(letters).allSatisfy(letter -> {
            assertThat(letter.pipeline()).isEqualTo("dead-letters");
            assertThat(letter.stage()).isEqualTo("triple");
            assertThat(letter.attempts()).isEqualTo(1);
            assertThat(letter.error()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bad item " + letter.item());
        });
        assertThat(result.stage("triple").deadLettered()).isEqualTo(expectedFailures().size());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void aFlakyFunctionSucceedsOnRetryAndEveryRetryIsCounted(Mode mode) {
        Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
        RetryPolicy threeTries = RetryPolicy.maxAttempts(3).withBackoff(Duration.ZERO, Duration.ZERO);
        RunResult<List<Long>> result = Pipeline.named("flaky")
                .from(Source.range(0, 500))
                .map("flaky-call", x -> {
                    int call = calls.computeIfAbsent(x, k -> new AtomicInteger()).incrementAndGet();
                    if (x % 5 == 0 && call < 3) {
                        throw new UncheckedIOException(new IOException("timeout " + call));
                    }
                    return x;
                }, mode.options.withErrorPolicy(ErrorPolicy.retry(threeTries)))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).containsExactlyInAnyOrderElementsOf(LongStream.range(0, 500).boxed().toList());
        assertThat(result.stage("flaky-call").retried()).isEqualTo(100 * 2);
        assertThat(calls.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(500 + 200);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void retriesUsedUpThenDeadLetterRecordsEveryAttempt(Mode mode) {
        List<DeadLetter> letters = new ArrayList<>();
        RetryPolicy twice = RetryPolicy.maxAttempts(2).withBackoff(Duration.ZERO, Duration.ZERO);
        RunResult<List<Long>> result = Pipeline.named("exhausted")
                .from(Source.range(0, ITEMS))
                .map("triple", ErrorPolicyTest::triple, mode.options.withErrorPolicy(
                        ErrorPolicy.retry(twice).then(ErrorPolicy.deadLetter(Sink.forEach(letters::add)))))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertSurvivors(result.value(), mode);
        assertThat(letters).hasSize(expectedFailures().size()).allSatisfy(l -> assertThat(l.attempts()).isEqualTo(2));
        assertThat(result.stage("triple").retried()).isEqualTo(expectedFailures().size());
    }

    @Test
    void aFailureThatIsNotRetryableGoesStraightToTheNextAction() {
        List<DeadLetter> letters = new ArrayList<>();
        RetryPolicy onlyIo = RetryPolicy.maxAttempts(5).withBackoff(Duration.ZERO, Duration.ZERO)
                .retryOn(UncheckedIOException.class);
        RunResult<Long> result = Pipeline.named("not-retryable")
                .from(Source.range(0, 10))
                .map("triple", ErrorPolicyTest::triple, StageOptions.parallel(2).withErrorPolicy(
                        ErrorPolicy.retry(onlyIo).then(ErrorPolicy.deadLetter(Sink.forEach(letters::add)))))
                .to(Sink.count())
                .run(engine)
                .verifyBalanced();

        assertThat(result.stage("triple").retried()).isZero();
        assertThat(letters).isNotEmpty().allSatisfy(l -> assertThat(l.attempts()).isEqualTo(1));
    }

    @Test
    void retriesUsedUpThenFailNamesTheItem() {
        RetryPolicy twice = RetryPolicy.maxAttempts(2).withBackoff(Duration.ZERO, Duration.ZERO);
        assertThatThrownBy(() -> Pipeline.named("retry-then-fail")
                .from(Source.of(1L, 2L, 3L))
                .map("always-fails", x -> {
                    if (x == 2) {
                        throw new IllegalStateException("still broken");
                    }
                    return x;
                }, StageOptions.parallel(2).withErrorPolicy(ErrorPolicy.retry(twice)))
                .to(Sink.count())
                .run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("'always-fails'")
                .hasMessageContaining("on item 2")
                .hasRootCauseMessage("still broken");
    }

    @Test
    void filterAndFlatMapFollowTheirPolicies() {
        List<DeadLetter> letters = new ArrayList<>();
        RunResult<List<Integer>> result = Pipeline.named("kinds")
                .from(Source.of(1, 2, 3, 4, 5, 6))
                .filter("odd-or-fail", x -> {
                    if (x == 4) {
                        throw new IllegalStateException("four");
                    }
                    return x % 2 == 1 || x == 6;
                }, StageOptions.parallel(2).withOrdered(true).withErrorPolicy(ErrorPolicy.skip()))
                .flatMap("explode", x -> x == 5 ? List.of(x, x / (x - 5)) : List.of(x, x * 10),
                        StageOptions.sequential().withErrorPolicy(ErrorPolicy.deadLetter(Sink.forEach(letters::add))))
                .to(Sink.toList())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).containsExactly(1, 10, 3, 30, 6, 60);
        assertThat(result.stage("odd-or-fail")).isEqualTo(new StageStats("odd-or-fail", "filter", 6, 4, 4, 1, 1, 0, 0));
        assertThat(letters).singleElement().satisfies(l -> {
            assertThat(l.item()).isEqualTo(5);
            assertThat(l.error()).isInstanceOf(ArithmeticException.class);
        });
    }

    @Test
    void aBrokenDeadLetterSinkFailsTheRunRatherThanLosingTheItem() {
        assertThatThrownBy(() -> Pipeline.named("broken-dlq")
                .from(Source.range(0, 100))
                .map("triple", ErrorPolicyTest::triple, StageOptions.parallel(2).withErrorPolicy(
                        ErrorPolicy.deadLetter(Sink.forEach(letter -> {
                            throw new UncheckedIOException(new IOException("queue unreachable"));
                        }))))
                .to(Sink.count())
                .run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("dead-letter sink of stage 'triple' failed");
    }

    @Test
    void theDeadLetterSinkRunsOnItsOwnThreadNeverOnARail() {
        Set<String> writerThreads = ConcurrentHashMap.newKeySet();
        RunResult<Long> result = Pipeline.named("dlq-thread")
                .from(Source.range(0, ITEMS))
                .map("triple", ErrorPolicyTest::triple, StageOptions.parallel(2).withErrorPolicy(
                        ErrorPolicy.deadLetter(Sink.forEach(letter -> writerThreads.add(Thread.currentThread().getName())))))
                .to(Sink.count())
                .run(engine)
                .verifyBalanced();

        assertThat(result.stage("triple").deadLettered()).isEqualTo(expectedFailures().size());
        assertThat(writerThreads).containsExactly("pipeline-dlq-thread-deadletters-triple");
    }

    @Test
    void aSlowDeadLetterSinkHoldsBackTheStageAndLosesNothing() {
        // every item fails, and the sink takes each letter slowly: the rails fill the hand-off and wait
        List<Object> written = new ArrayList<>();
        long items = 4L * DeadLetterChannel.CAPACITY;
        RunResult<Long> result = Pipeline.named("slow-dlq")
                .from(Source.range(0, items))
                .map("fail", x -> {
                    throw new IllegalStateException("always " + x);
                }, StageOptions.parallel(2).withErrorPolicy(ErrorPolicy.deadLetter(Sink.forEach(letter -> {
                    written.add(letter.item());
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }))))
                .to(Sink.count())
                .run(engine)
                .verifyBalanced();

        assertThat(result.value()).isZero();
        assertThat(result.stage("fail").deadLettered()).isEqualTo(items);
        assertThat(written).hasSize((int) items).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, items).boxed().toList());
    }

    @Test
    void aDeadLetterSinkThatFailsOnCompleteFailsTheRunNamingTheStage() {
        Sink<DeadLetter, Long> failsOnComplete = new Sink<>() {
            @Override
            public io.github.pipeline.api.SinkWriter<DeadLetter, Long> open() {
                return new io.github.pipeline.api.SinkWriter<>() {
                    @Override
                    public void accept(DeadLetter item) {
                    }

                    @Override
                    public Long complete() throws IOException {
                        throw new IOException("cannot flush");
                    }
                };
            }

            @Override
            public String description() {
                return "fails on complete";
            }
        };
        assertThatThrownBy(() -> Pipeline.named("dlq-flush")
                .from(Source.range(0, 100))
                .map("triple", ErrorPolicyTest::triple, StageOptions.parallel(2)
                        .withErrorPolicy(ErrorPolicy.deadLetter(failsOnComplete)))
                .to(Sink.count())
                .run(engine))
                .isInstanceOf(StageFailedException.class)
                .hasRootCauseMessage("cannot flush");
    }

    @Test
    void backoffWaitsOnTheTimerWithoutSleeping() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy slow = RetryPolicy.maxAttempts(3).withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10))
                .withJitter(0);
        Pipeline<Long> pipeline = Pipeline.named("backoff")
                .from(Source.fromPublisher(Flux.just(7)))
                .map("twice-failing", x -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IllegalStateException("not yet");
                    }
                    return x * 2;
                }, StageOptions.sequential().withErrorPolicy(ErrorPolicy.retry(slow)))
                .to(Sink.count());
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        RunResources resources = new RunResources("backoff", clock);
        RunState state = new RunState(pipeline);

        // retries after 1 s, then after 2 s: the result is due 3 s in, in virtual time
        StepVerifier.create(new PipelineAssembly(state, resources).assemble())
                .expectSubscription()
                .then(() -> clock.advanceTimeBy(Duration.ofMillis(2_999)))
                .then(() -> assertThat(calls).hasValue(2))
                .expectNoEvent(Duration.ofMillis(10))
                .then(() -> clock.advanceTimeBy(Duration.ofMillis(1)))
                .expectNext(14)
                .expectComplete()
                .verify(Duration.ofSeconds(30));

        assertThat(state.stages.get(0).snapshot()).isEqualTo(new StageStats("twice-failing", "map", 1, 1, 1, 0, 0, 0, 2));
        resources.shutdown();
    }

    @Test
    void describeShowsThePolicy() {
        String description = Pipeline.named("described").from(Source.range(0, 1))
                .map("m", x -> x, StageOptions.parallel(2).withErrorPolicy(
                        ErrorPolicy.retry(RetryPolicy.maxAttempts(3)).then(ErrorPolicy.skip())))
                .to(Sink.count()).describe();
        assertThat(description).contains("on-error=retry(attempts=3").contains("then skip");
    }

    private static void assertSurvivors(List<Long> actual, Mode mode) {
        if (mode.options.ordered()) {
            assertThat(actual).isEqualTo(expectedSurvivors());
        } else {
            assertThat(actual).containsExactlyInAnyOrderElementsOf(expectedSurvivors());
        }
    }
}
