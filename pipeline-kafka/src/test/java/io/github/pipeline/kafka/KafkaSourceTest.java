package io.github.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Checkpoints;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineException;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.StageOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka source on a real broker: where runs end, what they commit, backpressure, failures. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaSourceTest {

    @Test
    void aRunEndedByMaxRecordsCommitsExactlyThoseAndTheNextRunGoesOnFromThere(KafkaBroker broker,
                                                                               @TempDir Path dir) throws Exception {
        broker.createTopic("limits", 2);
        Topics.produce(broker, "limits", 5_000);
        KafkaSource<String, String> first = KafkaSource.strings(broker.bootstrapServers(), "limits", List.of("limits"))
                .withMaxRecords(2_000);

        RunResult<Long> one = keysTo(first, dir.resolve("one.txt")).run();

        assertThat(one.value()).isEqualTo(2_000);
        assertThat(Topics.sum(Topics.committed(broker, "limits"))).isEqualTo(2_000);
        KafkaSource<String, String> second = KafkaSource.strings(broker.bootstrapServers(), "limits", List.of("limits"))
                .withIdleTimeout(Duration.ofSeconds(2));
        RunResult<Long> two = keysTo(second, dir.resolve("two.txt")).run();

        assertThat(two.value()).isEqualTo(3_000);
        Set<String> keys = new HashSet<>(Files.readAllLines(dir.resolve("one.txt")));
        keys.addAll(Files.readAllLines(dir.resolve("two.txt")));
        assertThat(keys).as("no record read twice, none missed").hasSize(5_000);
        assertThat(Topics.committed(broker, "limits")).isEqualTo(Topics.endOffsets(broker, "limits"));
    }

    @Test
    void aSlowPipelinePausesThePartitionsAndTheRecordsHeldStayWithinTheBound(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        broker.createTopic("slow", 3);
        Topics.produce(broker, "slow", 3_000);
        int maxBuffered = 100;
        int maxPollRecords = 50;
        KafkaSource<String, String> source = KafkaSource.strings(broker.bootstrapServers(), "slow", List.of("slow"))
                .withProperty("max.poll.records", Integer.toString(maxPollRecords))
                .withMaxBuffered(maxBuffered)
                .withMaxRecords(3_000);
        Pipeline<Long> job = Pipeline.named("slow").from(source)
                .map("slow", record -> {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(300));
                    return record.key();
                }, StageOptions.sequential())
                .to(Sink.lines(dir.resolve("keys.txt")))
                .withCheckpoints(Checkpoints.withoutFile().everyItems(500));

        Execution<Long> run = job.start();
        long mostHeld = 0;
        while (!run.isDone()) {
            mostHeld = Math.max(mostHeld, source.stats().fetched() - source.stats().returned());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }

        assertThat(run.await().value()).isEqualTo(3_000);
        assertThat(source.stats().pauses()).as(source.stats().toString()).isPositive();
        assertThat(mostHeld).as("records fetched and not yet read, at most").isPositive()
                .isLessThanOrEqualTo(maxBuffered + maxPollRecords);
    }

    @Test
    void aCancelledEndlessRunCommitsNoMoreThanItsLastCheckpointAndTheNextRunReadsTheRest(KafkaBroker broker,
                                                                                         @TempDir Path dir)
            throws Exception {
        broker.createTopic("endless", 2);
        Topics.produce(broker, "endless", 1_050);
        KafkaSource<String, String> endless = KafkaSource.strings(broker.bootstrapServers(), "endless",
                List.of("endless"));
        Execution<Long> run = keysTo(endless, dir.resolve("one.txt"), 100).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (endless.stats().returned() < 1_050 || endless.stats().commits() < 10) {
            assertThat(System.nanoTime()).as("all records read: " + endless.stats()).isLessThan(deadline);
            Thread.sleep(10);
        }

        assertThat(run.cancel()).isTrue();
        assertThatThrownBy(run::await).isInstanceOf(PipelineException.class);
        long committed = Topics.sum(Topics.committed(broker, "endless"));
        assertThat(committed).as("committed at the checkpoints, every 100 records").isEqualTo(1_000);
        awaitNoPollThread("endless");
        KafkaSource<String, String> rest = KafkaSource.strings(broker.bootstrapServers(), "endless",
                List.of("endless")).withIdleTimeout(Duration.ofSeconds(2));
        assertThat(keysTo(rest, dir.resolve("two.txt"), 100).run().value()).isEqualTo(50);
    }

    @Test
    void aRecordThatCannotBeDeserializedFailsTheRunNamingItsPartitionAndOffset(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        broker.createTopic("garbage", 1);
        Topics.produce(broker, "garbage", 10);
        Deserializer<String> picky = (topic, data) -> {
            String value = new String(data, StandardCharsets.UTF_8);
            if (value.equals("value-7")) {
                throw new IllegalArgumentException("not a value: " + value);
            }
            return value;
        };
        KafkaSource<String, String> source = KafkaSource.of(broker.bootstrapServers(), "garbage", List.of("garbage"),
                StringDeserializer::new, () -> picky).withIdleTimeout(Duration.ofSeconds(10));

        assertThatThrownBy(() -> keysTo(source, dir.resolve("keys.txt")).run())
                .isInstanceOf(PipelineException.class)
                .hasStackTraceContaining("garbage-0@7");
        assertThat(Topics.sum(Topics.committed(broker, "garbage"))).as("the records before it, at most")
                .isLessThanOrEqualTo(7);
    }

    @Test
    void autoCommitCannotBeTurnedOnAndBadSettingsNameTheValue() {
        KafkaSource<String, String> source = KafkaSource.strings("127.0.0.1:1", "g", List.of("t"));

        assertThatThrownBy(() -> source.withProperty("enable.auto.commit", "true"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkpoints");
        assertThatThrownBy(() -> source.withProperty("group.id", "other"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'other'");
        assertThatThrownBy(() -> source.withMaxBuffered(0)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> source.withMaxRecords(-1)).hasMessageContaining("got -1");
        assertThatThrownBy(() -> source.withIdleTimeout(Duration.ZERO)).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> KafkaSource.strings("127.0.0.1:1", "g", List.of())).hasMessageContaining("topic");
        assertThat(source.withMaxRecords(5)).isNotSameAs(source);
        assertThat(source.description()).contains("[t]", "'g'", "127.0.0.1:1");
    }

    private static Pipeline<Long> keysTo(KafkaSource<String, String> source, Path file) {
        return keysTo(source, file, 250);
    }

    private static Pipeline<Long> keysTo(KafkaSource<String, String> source, Path file, long everyItems) {
        return Pipeline.named("keys").from(source)
                .map("key", KafkaRecord::key, StageOptions.parallel(2))
                .to(Sink.lines(file))
                .withCheckpoints(Checkpoints.withoutFile().everyItems(everyItems));
    }

    private static void awaitNoPollThread(String group) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("kafka-poll-" + group + "-"))) {
            assertThat(System.nanoTime()).as("the poll thread stops").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
