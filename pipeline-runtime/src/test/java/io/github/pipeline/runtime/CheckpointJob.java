package io.github.pipeline.runtime;

import io.github.pipeline.api.Checkpoints;
import io.github.pipeline.api.Chunking;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.io.FileSink;
import io.github.pipeline.io.FileSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The pipeline the checkpoint tests kill and resume: lines of a file, a parallel map (some items fail and
 * are skipped), a filter, a flatMap that drops some items and doubles others (sequential when the job keeps
 * order: an ordered flatMap on rails cannot drain for a checkpoint), to a file. Also a main, so a
 * test can run it in a JVM of its own and kill that JVM.
 */
final class CheckpointJob {

    private CheckpointJob() {
    }

    /** Writes {@code lines} numbered lines to {@code file}. */
    static Path input(Path file, int lines) throws IOException {
        return Files.writeString(file, IntStream.range(0, lines).mapToObj(i -> "line-" + i)
                .collect(Collectors.joining("\n", "", "\n")));
    }

    /** The job without checkpoints: what an uninterrupted run writes. */
    static Pipeline<Long> plain(Path input, Path output, boolean ordered, Chunking chunking, long pauseNanos) {
        StageOptions parallel = StageOptions.parallel(2).withOrdered(ordered).withChunking(chunking);
        return Pipeline.named("resumable")
                .from(FileSource.lines(input))
                .map("work", line -> work(line, pauseNanos), parallel.withErrorPolicy(ErrorPolicy.skip()))
                .filter("no-nines", line -> !line.contains("9:"), parallel)
                .flatMap("fan-out", CheckpointJob::fanOut, ordered ? StageOptions.sequential() : parallel)
                .to(FileSink.lines(output));
    }

    static Pipeline<Long> checkpointed(Path input, Path output, Path checkpoint, boolean ordered, Chunking chunking,
                                       long pauseNanos, long everyItems) {
        return plain(input, output, ordered, chunking, pauseNanos)
                .withCheckpoints(Checkpoints.to(checkpoint).everyItems(everyItems));
    }

    private static String work(String line, long pauseNanos) {
        int n = Integer.parseInt(line.substring(5));
        if (n % 11 == 3) {
            throw new IllegalArgumentException("bad item " + n);
        }
        if (pauseNanos > 0) {
            LockSupport.parkNanos(pauseNanos);
        }
        long h = n;
        for (int i = 0; i < 200; i++) {
            h = h * 6364136223846793005L + 1442695040888963407L;
        }
        return line + ":" + Long.toHexString(h);
    }

    private static List<String> fanOut(String line) {
        int n = Integer.parseInt(line.substring(5, line.indexOf(':')));
        if (n % 7 == 0) {
            return List.of();
        }
        return n % 5 == 0 ? List.of(line + "/a", line + "/b") : List.of(line);
    }

    /**
     * Runs the checkpointed job: {@code input output checkpoint pauseNanos everyItems}. Exits 0 when the run
     * succeeds.
     */
    public static void main(String[] args) {
        Pipeline<Long> job = checkpointed(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), true, Chunking.auto(),
                Long.parseLong(args[3]), Long.parseLong(args[4]));
        System.out.println("wrote " + job.run(ReactorEngine.create()).value() + " lines");
    }
}
