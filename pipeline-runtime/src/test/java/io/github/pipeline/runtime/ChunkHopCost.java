package io.github.pipeline.runtime;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Not a test: measures, by hand, what running a chunk of a cheap function on a rail costs over running
 * it on the thread that already has it: the question a sequential fallback of automatic chunking would
 * answer. The same chunks of 1,024 longs go through {@code x * x * x} summed per chunk, inline
 * ({@code map}) or over two rails ({@code parallel(2, 2).runOn(parallel(), 2).map(...).sequential(2)},
 * the engine's chunked layout), 20 passes over 20,000 chunks; the figure is the CPU time of the whole process (all threads, which
 * other tenants of the machine do not lengthen as they do wall time) per chunk, median of 7 rounds.
 * Run from the repository root:
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -pl pipeline-api,pipeline-runtime -Dmdep.outputFile=/tmp/cp.txt
 * java -cp pipeline-runtime/target/classes:pipeline-runtime/target/test-classes:$(cat /tmp/cp.txt) \
 *     io.github.pipeline.runtime.ChunkHopCost
 * </pre>
 */
final class ChunkHopCost {

    private static final int CHUNK = 1024;
    private static final int CHUNKS = 20_000;
    /** Passes over the chunks per measurement: the process CPU clock ticks in 10 ms here. */
    private static final int PASSES = 20;
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ChunkHopCost() {
    }

    public static void main(String[] args) {
        List<long[]> chunks = new ArrayList<>(CHUNKS);
        for (int c = 0; c < CHUNKS; c++) {
            long[] chunk = new long[CHUNK];
            for (int i = 0; i < CHUNK; i++) {
                chunk[i] = (long) c * CHUNK + i;
            }
            chunks.add(chunk);
        }
        int rounds = 7;
        long[][] inline = new long[2][rounds];
        long[][] rails = new long[2][rounds];
        for (int r = -2; r < rounds; r++) { // two warm-up rounds
            long[] a = measure(() -> Flux.fromIterable(chunks).repeat(PASSES - 1).map(ChunkHopCost::work).reduce(0L, Long::sum).block());
            long[] b = measure(() -> Flux.fromIterable(chunks).repeat(PASSES - 1).parallel(2, 2).runOn(Schedulers.parallel(), 2)
                    .map(ChunkHopCost::work).sequential(2).reduce(0L, Long::sum).block());
            if (r >= 0) {
                inline[0][r] = a[0];
                inline[1][r] = a[1];
                rails[0][r] = b[0];
                rails[1][r] = b[1];
            }
        }
        print("inline", inline);
        print("2 rails", rails);
        double hop = (median(rails[1]) - median(inline[1])) / (double) (CHUNKS * PASSES);
        System.out.printf(Locale.ROOT, "rails cost %.0f ns of CPU per chunk more than inline: %.1f ns per item of a %d-item chunk%n",
                hop, hop / CHUNK, CHUNK);
    }

    private static long work(long[] chunk) {
        long sum = 0;
        for (long x : chunk) {
            sum += x * x * x;
        }
        return sum;
    }

    /** Wall and process CPU nanoseconds of one run. */
    private static long[] measure(Runnable run) {
        long cpu = OS.getProcessCpuTime();
        long start = System.nanoTime();
        run.run();
        return new long[] {System.nanoTime() - start, OS.getProcessCpuTime() - cpu};
    }

    private static void print(String name, long[][] times) {
        System.out.printf(Locale.ROOT, "%-8s wall %7.1f ms (%.0f ns/chunk)   process CPU %7.1f ms (%.0f ns/chunk)%n", name,
                median(times[0]) / 1e6, median(times[0]) / (double) (CHUNKS * PASSES),
                median(times[1]) / 1e6, median(times[1]) / (double) (CHUNKS * PASSES));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
