package io.github.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two worker JVMs in one consumer group; one is killed ({@code destroyForcibly}, no shutdown of any kind)
 * mid-run; the other takes over its partitions. Nothing is lost, and the duplicates stay within the bound
 * that the checkpoints set.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaFailoverTest {

    private static final int RECORDS = 80_000;
    private static final int EVERY_ITEMS = 1_000;

    private final List<Process> workers = new ArrayList<>();

    @AfterEach
    void killWorkers() {
        workers.forEach(Process::destroyForcibly);
    }

    @Test
    void aKilledWorkersPartitionsAreTakenOverAndNothingIsLost(KafkaBroker broker, @TempDir Path logs)
            throws Exception {
        broker.createTopic("failover-in", 4);
        broker.createTopic("failover-out", 4);
        Topics.produce(broker, "failover-in", RECORDS);

        Process victim = startWorker(broker, "a", logs, 5);
        Process survivor = startWorker(broker, "b", logs, 8);
        awaitTrue("both workers own partitions", () -> owns(logs.resolve("a.log")) && owns(logs.resolve("b.log")));
        awaitTrue("a quarter of the output is written", () -> outputSoFar(broker) >= RECORDS / 4);
        long writtenAtKill = outputSoFar(broker);
        victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        assertThat(survivor.waitFor(120, TimeUnit.SECONDS)).as("the survivor ends").isTrue();
        assertThat(survivor.exitValue()).as(Files.readString(logs.resolve("b.log"))).isZero();

        BitSet seen = new BitSet(RECORDS);
        Map<String, Long> byWorker = new HashMap<>();
        long written = Topics.readAll(broker, "failover-out", record -> {
            seen.set(Integer.parseInt(record.key()));
            byWorker.merge(record.value(), 1L, Long::sum);
        });
        long duplicates = written - seen.cardinality();
        System.out.printf("failover: %d records, %d written (%d when worker a was killed), by worker %s,"
                        + " %d duplicates (bound %d), survivor: %s%n", RECORDS, written, writtenAtKill, byWorker,
                duplicates, 2 * EVERY_ITEMS, lastLine(logs.resolve("b.log")));
        assertThat(seen.cardinality()).as("distinct records written: nothing lost").isEqualTo(RECORDS);
        assertThat(byWorker).containsOnlyKeys("a", "b");
        assertThat(duplicates).as("duplicates: at most everyItems per worker that lost partitions uncommitted,"
                + " here the victim when it died and when the survivor joined").isLessThanOrEqualTo(2L * EVERY_ITEMS);
        assertThat(Topics.committed(broker, "failover")).isEqualTo(Topics.endOffsets(broker, "failover-in"));
    }

    private Process startWorker(KafkaBroker broker, String name, Path logs, int idleSeconds) throws IOException {
        Process process = new ProcessBuilder(KafkaBroker.java(), "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                KafkaBroker.testClassPath(), FailoverWorker.class.getName(), broker.bootstrapServers(), "failover",
                "failover-in", "failover-out", name, Integer.toString(EVERY_ITEMS), "300",
                Integer.toString(idleSeconds))
                .redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile()).start();
        workers.add(process);
        return process;
    }

    private static boolean owns(Path log) {
        try {
            return Files.exists(log) && Files.readString(log).matches("(?s).*partitions \\[failover-in-\\d.*assigned.*");
        } catch (IOException e) {
            return false;
        }
    }

    private static long outputSoFar(KafkaBroker broker) {
        try {
            return Topics.sum(Topics.endOffsets(broker, "failover-out"));
        } catch (Exception e) {
            return 0;
        }
    }

    private static String lastLine(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
