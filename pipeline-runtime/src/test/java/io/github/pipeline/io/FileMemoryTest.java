package io.github.pipeline.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.ReactorEngine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in the {@code -Xmx64m} Surefire execution: files far larger than the heap stream through
 * parsing, a parallel map and a file sink, and the heap in use after a full GC, sampled while each runs,
 * stays under the same bound for a small and a large input (its peak), and the large input's typical
 * sample in the second half of its run is no higher than the small one's (the median): it does not grow
 * with the input's size. The peaks alone do not show growth: they are the moments the buffers were full
 * (the sink writing while the source reads ahead, up to the rails' bound), and a run eight times longer
 * catches more of those moments (10M CSV rows: 13.6-24.5 MB peaks in seven runs against a median that
 * stayed at 3.7-4.0 MB from the first tenth of the run to the last, in a plain main at -Xmx64m).
 * The inputs are generated into temporary files and deleted afterwards.
 */
class FileMemoryTest {

    /** Live heap after GC must stay under this at both sizes: well under the 64 MB heap, far under the input. */
    private static final long BOUND = 40L << 20;
    /** How much more the large input's typical live heap may be than the small one's: noise, not growth. */
    private static final long SLACK = 8L << 20;

    @TempDir
    Path dir;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    @Test
    void theHeapIsSmall() {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(64L << 20);
    }

    @Test
    void aGigabyteOfTextStreamsThroughWithAHeapThatDoesNotGrowWithTheInput() throws IOException {
        LiveHeap small = textRun(128L << 20);
        LiveHeap large = textRun(1L << 30);

        assertThat(small.peak()).as("peak live heap after GC, 128 MB of text").isLessThan(BOUND);
        assertThat(large.peak()).as("peak live heap after GC, 1 GB of text").isLessThan(BOUND);
        assertThat(large.lateMedian()).as("typical live heap late in the run, 1 GB of text")
                .isLessThan(small.lateMedian() + SLACK);
    }

    @Test
    void tenMillionCsvRowsStreamThroughWithAHeapThatDoesNotGrowWithTheInput() throws IOException {
        LiveHeap small = csvRun(1_250_000);
        LiveHeap large = csvRun(10_000_000);

        assertThat(small.peak()).as("peak live heap after GC, 1.25M CSV rows").isLessThan(BOUND);
        assertThat(large.peak()).as("peak live heap after GC, 10M CSV rows").isLessThan(BOUND);
        assertThat(large.lateMedian()).as("typical live heap late in the run, 10M CSV rows")
                .isLessThan(small.lateMedian() + SLACK);
    }

    @Test
    void checkpointsHoldNothingPerItem() throws IOException {
        Path in = dir.resolve("in.txt");
        Path out = dir.resolve("out.txt");
        Path checkpoint = dir.resolve("text.checkpoint");
        DatasetGenerator.Written written = DatasetGenerator.text().withSize(128L << 20).writeTo(in);
        try {
            long peak = liveHeap(Pipeline.named("text-checkpointed")
                    .from(FileSource.lines(in))
                    .map("length", String::length, StageOptions.parallel().withOrdered(true))
                    .to(FileSink.lines(out))
                    .withCheckpoints(io.github.pipeline.api.Checkpoints.to(checkpoint).every(Duration.ofMillis(50))),
                    written.records()).peak();

            assertThat(peak).as("live heap after GC, 128 MB of text with a checkpoint every 50 ms").isLessThan(BOUND);
            assertThat(checkpoint).doesNotExist();
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    /** Measures each line on parallel rails and writes the lengths; returns the peak live heap. */
    private LiveHeap textRun(long bytes) throws IOException {
        Path in = dir.resolve("in.txt");
        Path out = dir.resolve("out.txt");
        DatasetGenerator.Written written = DatasetGenerator.text().withSize(bytes).writeTo(in);
        try {
            return liveHeap(Pipeline.named("text-" + (bytes >> 20) + "mb")
                    .from(FileSource.lines(in))
                    .map("length", String::length, StageOptions.parallel())
                    .to(FileSink.lines(out)), written.records());
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    /** Sums amount times quantity of each row on parallel rails and writes id and total; returns the peak live heap. */
    private LiveHeap csvRun(long rows) throws IOException {
        Path in = dir.resolve("in.csv");
        Path out = dir.resolve("out.csv");
        DatasetGenerator.csv().withRows(rows).writeTo(in);
        try {
            return liveHeap(Pipeline.named("csv-" + rows)
                    .from(FileSource.csv(in))
                    .map("total", row -> new long[] {row.getLong("id"),
                            Math.round(row.getDouble("amount") * 100) * row.getInt("quantity")}, StageOptions.parallel())
                    .to(FileSink.<long[]>csv(out, java.util.List.of("id", "total_cents"), t -> java.util.List.of(t[0], t[1]))),
                    rows);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    /** The heap in use after a full GC while a pipeline ran: the highest sample, and the median of the second half. */
    private record LiveHeap(long peak, long lateMedian) {
    }

    /** Runs the pipeline, taking the heap in use after a full GC every 100 ms. */
    private LiveHeap liveHeap(Pipeline<Long> pipeline, long expectedItems) {
        List<Long> samples = Collections.synchronizedList(new ArrayList<>());
        RunResult<Long> result = pipeline
                .withProgressListener(Duration.ofMillis(100), progress -> {
                    if (!progress.done()) {
                        System.gc();
                        samples.add(memory.getHeapMemoryUsage().getUsed());
                    }
                })
                .run(ReactorEngine.create())
                .verifyBalanced();
        assertThat(result.value()).isEqualTo(expectedItems);
        assertThat(samples).as("the heap was sampled while %s ran", pipeline.name()).isNotEmpty();
        List<Long> taken;
        synchronized (samples) {
            taken = new ArrayList<>(samples);
        }
        long peak = Collections.max(taken);
        List<Long> late = new ArrayList<>(taken.subList(taken.size() / 2, taken.size()));
        Collections.sort(late);
        long lateMedian = late.get(late.size() / 2);
        System.out.printf("%s: %d items in %d ms, live heap after GC: peak %.1f MB, median late in the run %.1f MB%n",
                pipeline.name(), result.value(), result.duration().toMillis(), peak / 1048576.0, lateMedian / 1048576.0);
        return new LiveHeap(peak, lateMedian);
    }

}
