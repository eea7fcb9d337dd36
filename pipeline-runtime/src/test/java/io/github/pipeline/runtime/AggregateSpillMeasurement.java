package io.github.pipeline.runtime;

import io.github.pipeline.api.AggregateOptions;
import io.github.pipeline.api.Aggregators;
import io.github.pipeline.api.KeyedResult;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import java.io.IOException;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import reactor.util.Loggers;

/**
 * Not a test: measures a group-by over many distinct keys, as {@link AggregateMemoryTest} does but as
 * large as asked, and prints the time, the stage's spill figures (from its debug log), and the spill
 * files and heap seen by polling every 100 ms. Run it with a small heap, for example:
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -pl pipeline-api,pipeline-runtime \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx64m -cp pipeline-runtime/target/test-classes:pipeline-runtime/target/classes:$(cat pipeline-runtime/target/cp.txt) \
 *     io.github.pipeline.runtime.AggregateSpillMeasurement 100000000 100000000 /tmp
 * </pre>
 *
 * Arguments: distinct keys, items (item {@code i} has key {@code i mod keys}, permuted), the parent of
 * the spill directory, and optionally the most keys in memory (default: the automatic bound).
 */
public final class AggregateSpillMeasurement {

    private AggregateSpillMeasurement() {
    }

    /**
     * Runs the measurement.
     *
     * @param args keys, items, spill parent directory, [max keys in memory]
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        long keys = Long.parseLong(args[0]);
        long items = Long.parseLong(args[1]);
        Path spillParent = Files.createTempDirectory(Path.of(args[2]), "aggregate-measurement-");
        AggregateOptions options = AggregateOptions.defaults().withSpillDirectory(spillParent);
        if (args.length > 3) {
            options = options.withMaxKeysInMemory(Integer.parseInt(args[3]));
        }
        Loggers.useVerboseConsoleLoggers(); // the stage logs its spill figures at debug level
        // a multiplier prime to 10 and coprime with the key count scatters the keys (a permutation when coprime)
        long multiplier = 7_654_321;
        Poller poller = new Poller(spillParent);
        poller.start();
        long start = System.nanoTime();
        RunResult<long[]> result = Pipeline.named("measure")
                .from(Source.range(0, items))
                .aggregate("group-by", i -> Long.toString(i % keys * multiplier % keys), Aggregators.count(), options)
                .to(Sink.fold(() -> new long[2], (long[] sums, KeyedResult<String, Long> r) -> {
                    sums[0]++;
                    sums[1] += r.value();
                    return sums;
                }))
                .run(ReactorEngine.create())
                .verifyBalanced();
        double seconds = (System.nanoTime() - start) / 1e9;
        poller.interrupt();
        poller.join();
        System.out.printf("%,d items, %,d distinct keys, max keys in memory %,d, heap %,d MB: %,d results "
                        + "(counts sum to %,d) in %.1f s (%.0f items/s)%n",
                items, keys, options.maxKeysInMemory(), Runtime.getRuntime().maxMemory() >> 20,
                result.value()[0], result.value()[1], seconds, items / seconds);
        System.out.printf("polled: at most %,d spill files and %,.1f MB of them at once; heap in use after a collection at most "
                + "%,.1f MB; files left: %d%n", poller.maxFiles, poller.maxBytes / 1e6, poller.maxHeapAfterGc / 1e6,
                poller.count(spillParent)[0]);
        Files.deleteIfExists(spillParent);
    }

    /** Polls the spill files and the heap. */
    private static final class Poller extends Thread {

        private final Path directory;
        volatile long maxFiles;
        volatile long maxBytes;
        volatile long maxHeapAfterGc;

        Poller(Path directory) {
            this.directory = directory;
            setDaemon(true);
            // the heap in use right after each collection: what the run really holds
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                    if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                                (CompositeData) notification.getUserData());
                        long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                                .mapToLong(MemoryUsage::getUsed).sum();
                        maxHeapAfterGc = Math.max(maxHeapAfterGc, used);
                    }
                }, null, null);
            }
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                long[] count = count(directory);
                maxFiles = Math.max(maxFiles, count[0]);
                maxBytes = Math.max(maxBytes, count[1]);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long[] count(Path dir) {
            long[] count = new long[2];
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(Files::isRegularFile).forEach(f -> {
                    count[0]++;
                    try {
                        count[1] += Files.size(f);
                    } catch (IOException e) {
                        // deleted while counted
                    }
                });
            } catch (IOException | java.io.UncheckedIOException e) {
                // a directory deleted while walked
            }
            return count;
        }
    }
}
