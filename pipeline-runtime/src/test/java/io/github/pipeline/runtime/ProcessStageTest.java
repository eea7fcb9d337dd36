package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.ItemCodec;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.ProcessWorkerException;
import io.github.pipeline.api.ProcessWorkers;
import io.github.pipeline.api.RetryPolicy;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.io.JsonCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process stages with real worker processes ({@link TestWorker}, started with this JDK): order, accounting,
 * restarts, timeouts, stderr, the error policies, start and stop; after every test no worker process and
 * no thread of the run is left.
 */
class ProcessStageTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ReactorEngine engine = ReactorEngine.create(registry);
    private final List<String> pipelines = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void noWorkerAndNoThreadIsLeft() {
        assertThat(TestWorker.live()).as("worker processes still alive").isEmpty();
        for (String pipeline : pipelines) {
            assertThat(ThreadLeaks.liveThreadsOf(pipeline)).as("threads of " + pipeline).isEmpty();
        }
    }

    private static ProcessWorkers workers(String... args) {
        return ProcessWorkers.of(TestWorker.command(args));
    }

    private <R> RunResult<R> run(Pipeline<R> pipeline) {
        return pipeline.start(engine).await(WAIT).orElseThrow(() -> new AssertionError("the run did not end"));
    }

    private double restarts(String pipeline) {
        return registry.get(PipelineMeter.STAGE_WORKER_RESTARTS.meterName()).tag("pipeline", pipeline)
                .functionCounter().count();
    }

    @Test
    void answersComeInSourceOrderFromSeveralWorkers() {
        List<String> squares = run(Pipeline.named(track("squares"))
                .from(Source.range(0, 300))
                .process("square", workers("square").withWorkers(3))
                .to(Sink.toList()))
                .verifyBalanced().value();

        assertThat(squares).isEqualTo(LongStream.range(0, 300).mapToObj(x -> Long.toString(x * x)).toList());
        assertThat(registry.get(PipelineMeter.STAGE_WORKER_BUSY.meterName()).tag("worker", "1").functionCounter()
                .count()).isPositive();
        for (PipelineMeter meter : List.of(PipelineMeter.STAGE_WORKER_BUSY, PipelineMeter.STAGE_WORKER_RESTARTS)) {
            assertThat(registry.find(meter.meterName()).meters()).as(meter.meterName())
                    .hasSize(meter == PipelineMeter.STAGE_WORKER_BUSY ? 3 : 1)
                    .allSatisfy(m -> {
                        assertThat(m.getId().getBaseUnit()).isEqualTo(meter.baseUnit());
                        assertThat(m.getId().getDescription()).isEqualTo(meter.description());
                        assertThat(m.getId().getTags()).extracting(io.micrometer.core.instrument.Tag::getKey)
                                .containsExactlyInAnyOrderElementsOf(meter.tags());
                    });
        }
    }

    @Test
    void unorderedAnswersAreEachItemOnce() {
        List<String> items = LongStream.range(0, 200).mapToObj(i -> "item" + i).toList();
        RunResult<List<String>> result = run(Pipeline.named(track("unordered"))
                .from(Source.fromIterable(items))
                .process("upper", workers("upper").withWorkers(2).withInFlightPerWorker(8),
                        StageOptions.sequential().withOrdered(false))
                .to(Sink.toList()))
                .verifyBalanced();

        assertThat(result.value()).containsExactlyInAnyOrderElementsOf(
                items.stream().map(s -> s.toUpperCase(java.util.Locale.ROOT)).toList());
        assertThat(result.stage("upper").processed()).isEqualTo(200);
    }

    @Test
    void aStalledWorkerDoesNotHoldUpTheOthers() {
        // worker 1 holds the first item until every other item has been answered by worker 2: items dealt
        // round-robin would wait behind it for ever, and the run would not end
        Path release = dir.resolve("release");
        int others = 30;
        AtomicInteger answered = new AtomicInteger();
        List<String> items = new ArrayList<>(List.of("wait-file:" + release));
        LongStream.range(0, others).forEach(i -> items.add("item" + i));
        RunResult<Long> result = run(Pipeline.named(track("stalled"))
                .from(Source.fromIterable(items))
                .process("echo", workers().withWorkers(2).withInFlightPerWorker(1),
                        StageOptions.sequential().withOrdered(false))
                .to(Sink.forEach(answer -> {
                    if (!answer.equals("released") && answered.incrementAndGet() == others) {
                        touch(release);
                    }
                })))
                .verifyBalanced();

        assertThat(result.value()).isEqualTo(others + 1L);
        assertThat(answered).hasValue(others);
    }

    @Test
    void aWorkerThatExitsFailsTheRunWithItsExitCodeAndStderr() {
        Pipeline<List<String>> pipeline = Pipeline.named(track("exits"))
                .from(Source.of("a", "exit:3", "b"))
                .process("echo", workers())
                .to(Sink.toList());

        assertThatThrownBy(() -> run(pipeline))
                .isInstanceOfSatisfying(StageFailedException.class, e -> {
                    assertThat(e.stage()).isEqualTo("echo");
                    assertThat(e.getMessage()).contains("exit:3");
                    ProcessWorkerException cause = (ProcessWorkerException) e.getCause();
                    assertThat(cause.reason()).isEqualTo(ProcessWorkerException.Reason.EXITED);
                    assertThat(cause.exitCode()).hasValue(3);
                    assertThat(cause.stderr()).containsExactly("about to fail", "exiting on purpose with 3");
                    assertThat(cause.getMessage()).contains("worker 1 of 1", "exited with code 3", "about to fail");
                });
    }

    @Test
    void aDeadWorkerIsRestartedAndItsItemSkipped() {
        RunResult<List<String>> result = run(Pipeline.named(track("restarts"))
                .from(Source.of("a", "b", "exit:3", "c", "exit:4", "d"))
                .process("echo", workers().withInFlightPerWorker(4),
                        StageOptions.sequential().withErrorPolicy(ErrorPolicy.skip()))
                .to(Sink.toList()))
                .verifyBalanced();

        // the items written behind the dying one went to the next process, not to the error policy
        assertThat(result.value()).containsExactly("a", "b", "c", "d");
        assertThat(result.stage("echo").skipped()).isEqualTo(2);
        assertThat(restarts("restarts")).isEqualTo(2);
    }

    @Test
    void deadLettersCarryTheItemAndTheWorkersFailure() {
        List<DeadLetter> letters = Collections.synchronizedList(new ArrayList<>());
        RunResult<List<String>> result = run(Pipeline.named(track("letters"))
                .from(Source.of("a", "exit:5", "b"))
                .process("echo", workers().withWorkers(2),
                        StageOptions.sequential().withErrorPolicy(ErrorPolicy.deadLetter(Sink.forEach(letters::add))))
                .to(Sink.toList()))
                .verifyBalanced();

        assertThat(result.value()).containsExactly("a", "b");
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.item()).isEqualTo("exit:5");
            assertThat(letter.stage()).isEqualTo("echo");
            assertThat(letter.error()).isInstanceOf(ProcessWorkerException.class)
                    .hasMessageContaining("exited with code 5");
        });
        assertThat(result.stage("echo").deadLettered()).isEqualTo(1);
    }

    @Test
    void aRetriedItemGoesToANewProcess() {
        RunResult<List<String>> result = run(Pipeline.named(track("retries"))
                .from(Source.of("exit-once:" + dir.resolve("marker"), "x"))
                .process("echo", workers(), StageOptions.sequential().withErrorPolicy(
                        ErrorPolicy.retry(RetryPolicy.maxAttempts(2))))
                .to(Sink.toList()))
                .verifyBalanced();

        assertThat(result.value()).containsExactly("again", "x");
        assertThat(result.stage("echo").retried()).isEqualTo(1);
        assertThat(restarts("retries")).isEqualTo(1);
    }

    @Test
    void aMalformedAnswerFailsItsItemAndTheWorkerGoesOn() {
        ItemCodec<String, Integer> numbers = ItemCodec.of(s -> s, Integer::parseInt);
        List<DeadLetter> letters = Collections.synchronizedList(new ArrayList<>());
        RunResult<List<Integer>> result = run(Pipeline.named(track("malformed"))
                .from(Source.of("1", "garbage", "long:50", "3"))
                .process("parse", workers().withMaxLineLength(20), numbers,
                        StageOptions.sequential().withErrorPolicy(ErrorPolicy.deadLetter(Sink.forEach(letters::add))))
                .to(Sink.toList()))
                .verifyBalanced();

        assertThat(result.value()).containsExactly(1, 3);
        assertThat(letters).extracting(letter -> ((ProcessWorkerException) letter.error()).reason())
                .containsOnly(ProcessWorkerException.Reason.MALFORMED_ANSWER);
        assertThat(letters).extracting(DeadLetter::error).extracting(Throwable::getMessage)
                .anySatisfy(message -> assertThat(message).contains("#garbage#", "NumberFormatException"))
                .anySatisfy(message -> assertThat(message).contains("longer than 20 characters"));
        assertThat(restarts("malformed")).isZero();
    }

    /** An answer of the JSON-lines tests. */
    record Point(int x, int y) {
    }

    @Test
    void jsonLinesGoOutAndComeBackAsRecords() {
        List<Point> points = run(Pipeline.named(track("json"))
                .from(Source.of(new Point(1, 2), new Point(3, 4)))
                .process("echo", workers(), JsonCodec.of(Point.class), StageOptions.sequential())
                .to(Sink.toList()))
                .verifyBalanced().value();

        assertThat(points).containsExactly(new Point(1, 2), new Point(3, 4));
    }

    @Test
    void aWorkerThatTakesTooLongIsKilledAndItsItemTimesOut() {
        List<DeadLetter> letters = Collections.synchronizedList(new ArrayList<>());
        RunResult<List<String>> result = run(Pipeline.named(track("timeout"))
                .from(Source.of("a", "hang", "b"))
                .process("echo", workers().withInFlightPerWorker(3), StageOptions.sequential()
                        .withTimeout(Duration.ofMillis(1500))
                        .withErrorPolicy(ErrorPolicy.deadLetter(Sink.forEach(letters::add))))
                .to(Sink.toList()))
                .verifyBalanced();

        assertThat(result.value()).containsExactly("a", "b");
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.item()).isEqualTo("hang");
            assertThat(letter.error()).isInstanceOf(TimeoutException.class).hasMessageContaining("killed");
        });
        assertThat(restarts("timeout")).isEqualTo(1);
    }

    @Test
    void workersGetTheEnvironmentTheDirectoryAndTheInitializerOnce() throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        List<String> answers = run(Pipeline.named(track("environment"))
                .from(Source.of("env:PIPELINE_TEST", "cwd", "init", "plain", "init"))
                .process("echo", workers("--init").withEnvironment("PIPELINE_TEST", "forty-two")
                        .withWorkingDirectory(work).withInitializer("{\"model\": \"m1\"}"))
                .to(Sink.toList()))
                .verifyBalanced().value();

        assertThat(answers).containsExactly("forty-two", work.toRealPath().toString(), "{\"model\": \"m1\"}", "plain",
                "{\"model\": \"m1\"}");
    }

    @Test
    void lazyWorkersStartWhenNeededAndEagerOnesAtOnce() throws IOException {
        Path lazy = Files.createDirectories(dir.resolve("lazy"));
        Path eager = Files.createDirectories(dir.resolve("eager"));
        run(Pipeline.named(track("lazy")).from(Source.of("one"))
                .process("echo", workers("--start-log=" + lazy).withWorkers(3)).to(Sink.count()));
        run(Pipeline.named(track("eager")).from(Source.of("one"))
                .process("echo", workers("--start-log=" + eager).withWorkers(3).withEagerStart(true)).to(Sink.count()));

        assertThat(filesIn(lazy)).hasSize(1);
        assertThat(filesIn(eager)).hasSize(3);
    }

    @Test
    void aCommandThatCannotStartFailsTheRunNamingIt() {
        Pipeline<Long> pipeline = Pipeline.named(track("no-command"))
                .from(Source.of("a"))
                .process("missing", ProcessWorkers.of("/nonexistent/worker-program", "--flag"),
                        StageOptions.sequential().withErrorPolicy(ErrorPolicy.skip()))
                .to(Sink.count());

        assertThatThrownBy(() -> run(pipeline))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("missing")
                .cause().isInstanceOfSatisfying(ProcessWorkerException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ProcessWorkerException.Reason.UNUSABLE);
                    assertThat(e.getMessage()).contains("/nonexistent/worker-program");
                });
    }

    @Test
    void workersThatKeepDyingFailTheRunPastTheRestartLimit() {
        Pipeline<Long> pipeline = Pipeline.named(track("crash-loop"))
                .from(Source.of("a", "b", "c", "d", "e"))
                .process("echo", workers("--crash-at-start").withRestartLimit(2),
                        StageOptions.sequential().withErrorPolicy(ErrorPolicy.skip()))
                .to(Sink.count());

        assertThatThrownBy(() -> run(pipeline))
                .isInstanceOf(StageFailedException.class)
                .cause().isInstanceOfSatisfying(ProcessWorkerException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ProcessWorkerException.Reason.UNUSABLE);
                    assertThat(e.getMessage()).contains("died 3 times in a row", "crashing at start");
                    assertThat(e.exitCode()).hasValue(7);
                });
    }

    @Test
    void atTheEndWorkersSeeTheirInputCloseAndExitOnTheirOwn() {
        Path stopped = dir.resolve("stopped");
        run(Pipeline.named(track("graceful")).from(Source.of("a", "b"))
                .process("echo", workers("--stop-file=" + stopped).withStopTimeout(Duration.ofSeconds(30)))
                .to(Sink.count()));

        assertThat(stopped).exists();
    }

    @Test
    void aWorkerThatDoesNotExitIsKilledAfterTheStopTimeout() {
        RunResult<Long> result = run(Pipeline.named(track("stubborn")).from(Source.of("a", "b"))
                .process("echo", workers("--ignore-eof").withWorkers(2).withStopTimeout(Duration.ofMillis(300)))
                .to(Sink.count()));

        assertThat(result.value()).isEqualTo(2);
    }

    @Test
    void cancellingTheRunStopsEveryWorker() {
        AtomicInteger answers = new AtomicInteger();
        Execution<Long> execution = Pipeline.named(track("cancelled"))
                .from(Source.repeat("sleep:5:x"))
                .process("sleepy", workers("--ignore-eof").withWorkers(2).withStopTimeout(Duration.ofMillis(500)))
                .to(Sink.forEach(answer -> answers.incrementAndGet()))
                .start(engine);
        while (answers.get() < 10 && !execution.isDone()) {
            Thread.onSpinWait();
        }
        execution.cancel();

        assertThatThrownBy(() -> execution.await(WAIT)).isInstanceOf(PipelineCancelledException.class);
    }

    @Test
    void itemsMayComeFromCpuRails() {
        RunResult<List<String>> result = run(Pipeline.named(track("from-rails"))
                .from(Source.range(0, 500))
                .map("double", x -> x * 2, StageOptions.parallel(2))
                .process("square", workers("square").withWorkers(2), StageOptions.sequential().withOrdered(false))
                .to(Sink.toList()))
                .verifyBalanced();

        assertThat(result.value()).hasSize(500).contains("0", "4", Long.toString(998L * 998));
    }

    @Test
    void aPythonWorkerComputesCubes() throws IOException {
        Assumptions.assumeTrue(onPath("python3"), "python3 is not installed");
        Path script = Files.writeString(dir.resolve("cube.py"), """
                import sys
                for line in sys.stdin:
                    x = int(line)
                    print(x ** 3, flush=True)
                """);
        List<String> cubes = run(Pipeline.named(track("python"))
                .from(Source.range(1, 101))
                .process("cube", ProcessWorkers.of("python3", script.toString()).withWorkers(2))
                .to(Sink.toList()))
                .verifyBalanced().value();

        assertThat(cubes).isEqualTo(LongStream.range(1, 101).mapToObj(x -> Long.toString(x * x * x)).toList());
    }

    private String track(String pipeline) {
        pipelines.add(pipeline);
        return pipeline;
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.collect(Collectors.toList());
        }
    }

    private static void touch(Path file) {
        try {
            Files.createFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
