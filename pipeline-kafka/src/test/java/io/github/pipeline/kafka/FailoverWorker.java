package io.github.pipeline.kafka;

import io.github.pipeline.api.Checkpoints;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.StageOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker of {@link KafkaFailoverTest}, run in a JVM of its own: reads {@code in} as a member of
 * {@code group}, spends {@code micros} per record in a blocking stage, writes {@code key -> worker} to
 * {@code out}, and commits every {@code everyItems} records; ends after {@code idleSeconds} without a record.
 */
public final class FailoverWorker {

    private FailoverWorker() {
    }

    /**
     * Runs the worker.
     *
     * @param args bootstrap servers, group, in topic, out topic, worker name, everyItems, micros, idleSeconds
     */
    public static void main(String[] args) {
        String bootstrap = args[0];
        String worker = args[4];
        long everyItems = Long.parseLong(args[5]);
        long micros = Long.parseLong(args[6]);
        KafkaSource<String, String> source = KafkaSource.strings(bootstrap, args[1], List.of(args[2]))
                .withProperty("session.timeout.ms", "3000")
                .withProperty("heartbeat.interval.ms", "500")
                .withProperty("max.poll.records", "200")
                .withMaxBuffered(500)
                .withIdleTimeout(Duration.ofSeconds(Long.parseLong(args[7])));
        Pipeline<Long> job = Pipeline.named("failover-" + worker).from(source)
                .map("work", record -> {
                    LockSupport.parkNanos(micros * 1000);
                    return record.key();
                }, StageOptions.blocking(4))
                .to(KafkaSink.strings(bootstrap, args[3], (String key) -> key, key -> worker))
                .withCheckpoints(Checkpoints.withoutFile().every(Duration.ofSeconds(1)).everyItems(everyItems));
        RunResult<Long> result = job.run();
        System.out.println("WORKER " + worker + " wrote " + result.value() + "; " + source.stats());
        System.exit(0);
    }
}
