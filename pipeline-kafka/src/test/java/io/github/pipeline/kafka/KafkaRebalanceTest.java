package io.github.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Checkpoints;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.StageOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second worker joins while the first has records in flight in a slow stage: the first gives up half
 * its partitions, drops what it had fetched of them and not yet read, and never commits them again; the
 * second reads them from their committed offsets.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaRebalanceTest {

    private static final int RECORDS = 6_000;
    private static final int EVERY_ITEMS = 200;

    @Test
    void aWorkerJoiningMidRunTakesOverPartitionsWithoutLossAndFewDuplicates(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        broker.createTopic("rebalance", 4);
        Topics.produce(broker, "rebalance", RECORDS, 1_024); // small batches: the fetches mix the partitions
        KafkaSource<String, String> first = source(broker);
        KafkaSource<String, String> second = source(broker);

        Execution<Long> one = worker(first, dir.resolve("one.txt")).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (first.stats().returned() < RECORDS / 5) {
            assertThat(System.nanoTime()).as("the first worker reads: " + first.stats()).isLessThan(deadline);
            Thread.sleep(5);
        }
        Execution<Long> two = worker(second, dir.resolve("two.txt")).start();
        long written = one.await().value() + two.await().value();
        Set<String> keys = new HashSet<>(Files.readAllLines(dir.resolve("one.txt")));
        keys.addAll(Files.readAllLines(dir.resolve("two.txt")));
        long duplicates = written - keys.size();
        // A worker ends after 3 s without records; one that idles out while the group rebalances (its partner
        // leaving) leaves the rest of its partitions uncommitted, which at-least-once allows: no record is
        // committed before it is written. A third worker reads exactly what is left uncommitted, waiting as long
        // as the group takes to let it in, so "nothing lost" checks that guarantee and not the timing: a record
        // committed but never written is still missing after it.
        long uncommitted = Topics.sum(Topics.endOffsets(broker, "rebalance"))
                - Topics.sum(Topics.committed(broker, "rebalance"));
        long third = 0;
        if (uncommitted > 0) {
            third = worker(source(broker).withMaxRecords(uncommitted).withIdleTimeout(Duration.ofMinutes(2)),
                    dir.resolve("three.txt")).run().value();
            keys.addAll(Files.readAllLines(dir.resolve("three.txt")));
        }
        System.out.printf("rebalance: %d records, %d written, %d duplicates (bound %d); first: %s; second: %s;"
                + " left uncommitted, read by a third: %d%n", RECORDS, written, duplicates, EVERY_ITEMS,
                first.stats(), second.stats(), third);
        assertThat(keys).as(() -> "nothing lost; missing: " + missing(broker, keys)).hasSize(RECORDS);
        assertThat(duplicates).as("duplicates: what the first had read and not committed of the partitions it"
                + " gave up, everyItems per checkpoint whose commit was given up")
                .isLessThanOrEqualTo((1 + first.stats().commitsSkipped() + second.stats().commitsSkipped()) * EVERY_ITEMS);
        assertThat(first.stats().rebalances()).as(first.stats().toString()).isGreaterThanOrEqualTo(2);
        assertThat(second.stats().returned()).isPositive();
        assertThat(Topics.committed(broker, "rebalance")).isEqualTo(Topics.endOffsets(broker, "rebalance"));
    }

    /** The records of the topic whose keys were not written, as partition to offsets, for a failure message. */
    private static String missing(KafkaBroker broker, Set<String> keys) {
        Map<Integer, TreeSet<Long>> missing = new TreeMap<>();
        try {
            Topics.readAll(broker, "rebalance", record -> {
                if (!keys.contains(record.key())) {
                    missing.computeIfAbsent(record.partition(), p -> new TreeSet<>()).add(record.offset());
                }
            });
            StringBuilder ranges = new StringBuilder();
            missing.forEach((partition, offsets) -> {
                ranges.append(" partition ").append(partition).append(':');
                long from = -1;
                long to = -1;
                for (long offset : offsets) {
                    if (offset != to + 1 && from >= 0) {
                        ranges.append(' ').append(from).append("..").append(to);
                        from = -1;
                    }
                    from = from < 0 ? offset : from;
                    to = offset;
                }
                ranges.append(' ').append(from).append("..").append(to);
            });
            return ranges + "; committed " + Topics.committed(broker, "rebalance");
        } catch (Exception e) {
            return "(reading the topic failed: " + e + ")";
        }
    }

    private static KafkaSource<String, String> source(KafkaBroker broker) {
        return KafkaSource.strings(broker.bootstrapServers(), "rebalance", List.of("rebalance"))
                .withProperty("max.poll.records", "100")
                .withProperty("heartbeat.interval.ms", "300")
                .withProperty("max.partition.fetch.bytes", "2048")
                .withMaxBuffered(300)
                .withIdleTimeout(Duration.ofSeconds(3));
    }

    private static Pipeline<Long> worker(KafkaSource<String, String> source, Path file) {
        return Pipeline.named("rebalance").from(source)
                .map("slow", record -> {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3));
                    return record.key();
                }, StageOptions.blocking(4))
                .to(Sink.lines(file))
                .withCheckpoints(Checkpoints.withoutFile().every(Duration.ofSeconds(1)).everyItems(EVERY_ITEMS));
    }
}
