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
import java.util.Set;
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
        // A worker ends after 3 s without records; one that idles out while the group rebalances (the other
        // leaving) leaves the rest of its partitions uncommitted, which is allowed: at-least-once means no
        // record is committed before it is written. A third worker reads whatever is left uncommitted, so
        // "nothing lost" checks exactly that. (Once in ten CI runs the two workers together wrote 5,946 of 6,000
        // records and the test, which then had no third worker, could not tell loss from records left
        // uncommitted; the cause was not confirmed.)
        KafkaSource<String, String> third = source(broker);
        written += worker(third, dir.resolve("three.txt")).run().value();

        Set<String> keys = new HashSet<>(Files.readAllLines(dir.resolve("one.txt")));
        keys.addAll(Files.readAllLines(dir.resolve("two.txt")));
        keys.addAll(Files.readAllLines(dir.resolve("three.txt")));
        System.out.printf("rebalance: %d records, %d written, %d duplicates (bound %d); first: %s; second: %s;"
                + " left to a third: %d%n", RECORDS, written, written - keys.size(), EVERY_ITEMS, first.stats(),
                second.stats(), third.stats().returned());
        assertThat(keys).as("nothing lost").hasSize(RECORDS);
        assertThat(written - RECORDS).as("duplicates: what the first had read and not committed of the"
                + " partitions it gave up, everyItems per checkpoint whose commit was given up")
                .isLessThanOrEqualTo((1 + first.stats().commitsSkipped()) * EVERY_ITEMS);
        assertThat(first.stats().rebalances()).as(first.stats().toString()).isGreaterThanOrEqualTo(2);
        assertThat(second.stats().returned()).isPositive();
        assertThat(Topics.committed(broker, "rebalance")).isEqualTo(Topics.endOffsets(broker, "rebalance"));
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
