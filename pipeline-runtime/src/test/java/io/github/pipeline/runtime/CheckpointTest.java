package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Checkpoints;
import io.github.pipeline.api.Chunking;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.PipelineDefinitionException;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.io.FileSink;
import io.github.pipeline.io.FileSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checkpoint and resume: runs stopped at random points (cancelled, or their JVM killed) and resumed until
 * they finish write exactly what an uninterrupted run writes: byte for byte when the pipeline keeps order,
 * the same lines otherwise. Nothing is lost, nothing written twice.
 */
class CheckpointTest {

    private static final int LINES = 20_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final ReactorEngine engine = ReactorEngine.create();

    private Path reference(Path input, boolean ordered, Chunking chunking) {
        Path output = dir.resolve("reference.txt");
        CheckpointJob.plain(input, output, ordered, chunking, 0).run(engine);
        return output;
    }

    @ParameterizedTest(name = "ordered={0}, chunking={1}")
    @CsvSource({"true, auto", "false, auto", "false, off"})
    void runsCancelledAtRandomPointsAndResumedWriteWhatAnUninterruptedRunWrites(boolean ordered, String chunks)
            throws Exception {
        Chunking chunking = chunks.equals("auto") ? Chunking.auto() : Chunking.off();
        Path input = CheckpointJob.input(dir.resolve("in.txt"), LINES);
        Path expected = reference(input, ordered, chunking);
        Path output = dir.resolve("out.txt");
        Path checkpoint = dir.resolve("job.checkpoint");
        Pipeline<Long> job = CheckpointJob.checkpointed(input, output, checkpoint, ordered, chunking, 0, 500);
        Random random = new Random(ordered ? 42 : 7);

        int runs = 0;
        int resumed = 0;
        while (true) {
            runs++;
            resumed += Files.exists(checkpoint) ? 1 : 0;
            Execution<Long> run = job.start(engine);
            long stopAt = random.nextInt(LINES / 3);
            while (!run.isDone() && run.progress().sourceItems() < stopAt) {
                Thread.onSpinWait();
            }
            run.cancel();
            try {
                run.await(WAIT).orElseThrow();
                break;
            } catch (PipelineCancelledException e) {
                assertThat(output).as("no output under the final name before success").doesNotExist();
            }
            assertThat(runs).as("runs before one finishes").isLessThan(200);
        }

        assertThat(resumed).as("runs that resumed from a checkpoint").isGreaterThan(0);
        assertThat(checkpoint).as("deleted when the run succeeds").doesNotExist();
        if (ordered) {
            assertThat(Files.readAllBytes(output)).isEqualTo(Files.readAllBytes(expected));
        } else {
            assertThat(sortedLines(output)).isEqualTo(sortedLines(expected));
        }
        assertThat(leftovers()).as("no partial files left").isEmpty();
    }

    private static List<String> sortedLines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.sorted().toList();
        }
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".partial")).toList();
        }
    }

    @Test
    void aKilledJvmsRunResumesToTheSameBytes() throws Exception {
        Path input = CheckpointJob.input(dir.resolve("in.txt"), LINES);
        Path expected = reference(input, true, Chunking.auto());
        Path output = dir.resolve("out.txt");
        Path checkpoint = dir.resolve("job.checkpoint");
        long pauseNanos = TimeUnit.MICROSECONDS.toNanos(200); // about 2 s for the whole job: time to kill it
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CheckpointJob.class.getName(),
                input.toString(), output.toString(), checkpoint.toString(), Long.toString(pauseNanos), "500")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long itemsAtKill;
        try {
            itemsAtKill = awaitCheckpointWithItems(checkpoint, LINES / 10, child);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(output).as("the killed run had not finished").doesNotExist();

        RunResult<Long> rest = CheckpointJob.checkpointed(input, output, checkpoint, true, Chunking.auto(), 0, 500)
                .run(engine);

        assertThat(rest.sourceItems()).as("the resumed run read only what the checkpoint had not covered")
                .isEqualTo(LINES - itemsAtKill);
        assertThat(Files.readAllBytes(output)).isEqualTo(Files.readAllBytes(expected));
        assertThat(checkpoint).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    /** Waits until the checkpoint file says at least {@code items} were read; returns what it says. */
    private static long awaitCheckpointWithItems(Path checkpoint, long items, Process child) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as("the child JVM still runs").isTrue();
            Optional<Long> saved = savedItems(checkpoint);
            if (saved.isPresent() && saved.get() >= items) {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
                return savedItems(checkpoint).orElseThrow(); // the last one, written before the kill
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no checkpoint with " + items + " items within " + WAIT);
    }

    private static Optional<Long> savedItems(Path checkpoint) throws IOException {
        if (!Files.exists(checkpoint)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(checkpoint)) {
            properties.load(in);
        }
        return Optional.of(Long.parseLong(properties.getProperty("items")));
    }

    @Test
    void aGzippedCsvOutputResumesWithOneHeaderAndTheSameContent() throws Exception {
        Path input = CheckpointJob.input(dir.resolve("in.txt"), 5_000);
        Path checkpoint = dir.resolve("csv.checkpoint");
        Path expected = dir.resolve("expected.csv.gz");
        Path output = dir.resolve("out.csv.gz");
        csvJob(input, expected).run(engine);
        Pipeline<Long> job = csvJob(input, output).withCheckpoints(Checkpoints.to(checkpoint).everyItems(100));

        Execution<Long> first = job.start(engine);
        while (!first.isDone() && first.progress().sourceItems() < 2_000) {
            Thread.onSpinWait();
        }
        first.cancel();
        assertThat(awaitOrCancelled(first)).as("the first run was stopped part way").isEmpty();
        assertThat(checkpoint).exists();
        job.run(engine);

        assertThat(gunzip(output)).isEqualTo(gunzip(expected)).startsWith("line,length\nline-0,6\n");
    }

    private static Pipeline<Long> csvJob(Path input, Path output) {
        return Pipeline.named("csv-out").from(FileSource.lines(input))
                .map("measure", line -> {
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000); // slow enough to stop part way
                    return List.<Object>of(line, line.length());
                }, io.github.pipeline.api.StageOptions.blocking(2).withOrdered(true))
                .to(FileSink.<List<Object>>csv(output, List.of("line", "length"), row -> row));
    }

    private static Optional<RunResult<Long>> awaitOrCancelled(Execution<Long> run) {
        try {
            return run.await(WAIT);
        } catch (PipelineCancelledException e) {
            return Optional.empty();
        }
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aFailedFinalMoveKeepsTheOutputForTheNextRunToFinish() throws Exception {
        Path input = CheckpointJob.input(dir.resolve("in.txt"), 3_000);
        Path expected = reference(input, true, Chunking.auto());
        Path output = dir.resolve("out.txt");
        Path checkpoint = dir.resolve("job.checkpoint");
        Files.createDirectories(output.resolve("in-the-way")); // a non-empty directory: the move fails
        Pipeline<Long> job = CheckpointJob.checkpointed(input, output, checkpoint, true, Chunking.auto(), 0, 100);

        assertThatThrownBy(() -> job.run(engine)).isInstanceOf(StageFailedException.class)
                .hasMessageContaining("<sink>");
        assertThat(checkpoint).exists();
        Files.delete(output.resolve("in-the-way"));
        Files.delete(output);
        RunResult<Long> finished = job.run(engine);

        assertThat(Files.readAllBytes(output)).isEqualTo(Files.readAllBytes(expected));
        assertThat(finished.sourceItems()).as("only what the last checkpoint had not covered").isLessThan(3_000);
        assertThat(checkpoint).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aCheckpointThatCannotDrainInTimeIsSkippedAndReadingGoesOn() throws Exception {
        Path input = CheckpointJob.input(dir.resolve("in.txt"), 2_000);
        Path output = dir.resolve("out.txt");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch pastCheckpoints = new java.util.concurrent.CountDownLatch(1);
        Pipeline<Long> job = Pipeline.named("stuck").from(FileSource.lines(input))
                .map("waits-on-10", line -> {
                    if (line.equals("line-150")) {
                        pastCheckpoints.countDown(); // read and done on the other rail, 7 checkpoints later
                    }
                    if (line.equals("line-10")) {
                        try {
                            release.await(); // held until the test has seen reading go on past checkpoints
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    }
                    return line;
                }, io.github.pipeline.api.StageOptions.blocking(2))
                .to(FileSink.lines(output))
                .withCheckpoints(Checkpoints.to(dir.resolve("stuck.checkpoint")).everyItems(20)
                        .withDrainTimeout(Duration.ofMillis(20)));

        Execution<Long> run = job.start(engine);
        try {
            assertThat(pastCheckpoints.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("read on past checkpoints that could not drain").isTrue();
            assertThat(run.progress().sourceItems()).isGreaterThan(150);
        } finally {
            release.countDown();
        }

        assertThat(run.await(WAIT).orElseThrow().value()).isEqualTo(2_000);
        assertThat(Files.readAllLines(output)).hasSize(2_000).contains("line-10");
    }

    @Test
    void twoRunsCannotUseOneCheckpointAtOnce() throws Exception {
        Path input = CheckpointJob.input(dir.resolve("in.txt"), LINES);
        Path checkpoint = dir.resolve("job.checkpoint");
        Pipeline<Long> job = CheckpointJob.checkpointed(input, dir.resolve("out.txt"), checkpoint, true,
                Chunking.auto(), TimeUnit.MICROSECONDS.toNanos(100), 500);
        Execution<Long> first = job.start(engine);
        try {
            assertThatThrownBy(() -> job.run(engine)).isInstanceOf(StageFailedException.class)
                    .hasMessageContaining("another run is using the checkpoint " + checkpoint);
        } finally {
            first.cancel();
            awaitOrCancelled(first);
        }
        assertThat(first.isDone()).isTrue();
    }

    @Test
    void aCheckpointOfAnotherPipelineIsNotResumed() throws Exception {
        Path input = CheckpointJob.input(dir.resolve("in.txt"), 10);
        Path checkpoint = Files.writeString(dir.resolve("job.checkpoint"),
                "version=1\npipeline=other\nsource=x\nsink=y\nitems=5\n");
        Pipeline<Long> job = CheckpointJob.checkpointed(input, dir.resolve("out.txt"), checkpoint, true,
                Chunking.auto(), 0, 100);

        assertThatThrownBy(() -> job.run(engine)).isInstanceOf(StageFailedException.class)
                .hasMessageContaining("<checkpoint>").hasMessageContaining("written by another pipeline")
                .hasMessageContaining("delete the checkpoint to start afresh");
        assertThat(checkpoint).exists();
    }

    @Test
    void orderedRailsThatGoItemByItemCannotTakeCheckpointsAndSaySo() throws Exception {
        Path input = CheckpointJob.input(dir.resolve("in.txt"), 10);
        Pipeline<Long> job = CheckpointJob.checkpointed(input, dir.resolve("out.txt"), dir.resolve("c"), true,
                Chunking.off(), 0, 100);

        assertThatThrownBy(() -> job.run(engine)).isInstanceOf(PipelineDefinitionException.class)
                .hasMessageContaining("stage 'work' keeps source order on parallel rails item by item")
                .hasMessageContaining("a skip or dead-letter policy");
    }

    @Test
    void aPipelineWithCheckpointsCannotBePublished() {
        Pipeline<Long> job = CheckpointJob.checkpointed(dir.resolve("in.txt"), dir.resolve("out.txt"),
                dir.resolve("c"), true, Chunking.auto(), 0, 100);

        assertThatThrownBy(() -> engine.publish(job)).isInstanceOf(PipelineDefinitionException.class)
                .hasMessageContaining("publish()");
    }

    /**
     * What a source that commits its own positions (a Kafka consumer) relies on: its reader's
     * {@code checkpoint()} is called only when every item it has returned has gone all the way, here
     * through unordered rails that drop some items, fan others out and dead-letter some (the dead letters
     * are in their sink by then too).
     */
    @Test
    @SuppressWarnings("try") // an anonymous reader: SourceReader.close() may throw any Exception
    void withoutAFileTheReadersCheckpointIsCalledOnlyOnceEverythingItReturnedHasGoneAllTheWay() {
        List<long[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong expectedOut = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong expectedDead = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong dead = new java.util.concurrent.atomic.AtomicLong();
        int items = 30_000;
        io.github.pipeline.api.ResumableSource<Integer> source = new io.github.pipeline.api.ResumableSource<>() {
            @Override
            public io.github.pipeline.api.CheckpointableReader<Integer> open() {
                return new io.github.pipeline.api.CheckpointableReader<>() {
                    private int next;

                    @Override
                    public Integer next() {
                        if (next == items) {
                            return null;
                        }
                        if (next % 3 != 0) {
                            (next % 7 == 0 ? expectedDead : expectedOut).addAndGet(next % 3);
                        }
                        return next++;
                    }

                    @Override
                    public java.util.Map<String, String> checkpoint() {
                        seen.add(new long[] {expectedOut.get(), accepted.get(), expectedDead.get(), dead.get()});
                        return java.util.Map.of();
                    }
                };
            }

            @Override
            public io.github.pipeline.api.CheckpointableReader<Integer> resume(java.util.Map<String, String> state) {
                return open();
            }

            @Override
            public String description() {
                return "numbers that note their checkpoints";
            }
        };
        io.github.pipeline.api.ResumableSink<Object, Long> sink = new io.github.pipeline.api.ResumableSink<>() {
            @Override
            public io.github.pipeline.api.CheckpointableWriter<Object, Long> open() {
                return new io.github.pipeline.api.CheckpointableWriter<>() {
                    @Override
                    public void accept(Object item) {
                        accepted.incrementAndGet();
                    }

                    @Override
                    public java.util.Map<String, String> checkpoint() {
                        return java.util.Map.of();
                    }

                    @Override
                    public Long complete() {
                        return accepted.get();
                    }

                    @Override
                    public void suspend(Throwable cause) {
                        // nothing to keep
                    }
                };
            }

            @Override
            public io.github.pipeline.api.CheckpointableWriter<Object, Long> resume(java.util.Map<String, String> state) {
                return open();
            }

            @Override
            public String description() {
                return "a counter";
            }
        };
        io.github.pipeline.api.StageOptions rails = io.github.pipeline.api.StageOptions.parallel(2);
        Pipeline<Long> job = Pipeline.named("committing").from(source)
                .filter("not-threes", n -> n % 3 != 0, rails)
                .flatMap("copies", n -> java.util.Collections.nCopies(n % 3, n), rails)
                .map("spin", n -> {
                    if (n % 7 == 0) {
                        throw new IllegalArgumentException("sevens go to the dead letters");
                    }
                    return n * 31;
                }, rails.withChunking(Chunking.auto()).withErrorPolicy(io.github.pipeline.api.ErrorPolicy.deadLetter(
                        io.github.pipeline.api.Sink.forEach(letter -> dead.incrementAndGet()))))
                .to(sink)
                .withCheckpoints(Checkpoints.withoutFile().everyItems(997));

        RunResult<Long> result = job.run(engine);

        assertThat(result.value()).isEqualTo(expectedOut.get());
        assertThat(seen).hasSizeGreaterThan(20);
        assertThat(seen).allSatisfy(at -> {
            assertThat(at[1]).as("accepted when the reader checkpointed").isEqualTo(at[0]);
            assertThat(at[3]).as("dead letters in their sink when the reader checkpointed").isEqualTo(at[2]);
        });
        assertThat(dead.get()).isEqualTo(expectedDead.get()).isPositive();
        assertThat(seen.get(seen.size() - 1)[0]).as("the last checkpoint, at the end of the run, covers all")
                .isEqualTo(expectedOut.get());
    }
}
