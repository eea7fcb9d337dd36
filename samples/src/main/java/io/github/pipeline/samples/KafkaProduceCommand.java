package io.github.pipeline.samples;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.io.FileSource;
import io.github.pipeline.kafka.KafkaSink;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code kafka-produce} sample: loads the lines of a file (gzip too) into a Kafka topic, one record
 * per line, keyed by the line's number so the lines spread over the partitions.
 *
 * <pre>{@code
 * java -jar samples/target/pipeline-samples.jar kafka-produce --bootstrap-servers broker:9092 \
 *     --topic lines --input book.txt
 * }</pre>
 */
@Command(name = "kafka-produce", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = {"Loads the lines of a file (gzip too) into a Kafka topic: one record per line, its key "
                + "the line's number (from 1), so the lines spread over the topic's partitions.",
            "The producer is idempotent and waits for all in-sync replicas."})
public final class KafkaProduceCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", required = true,
            description = "The Kafka brokers to connect to first.")
    private String bootstrapServers;

    @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "The topic to write to.")
    private String topic;

    @Option(names = "--input", paramLabel = "FILE", required = true,
            description = "The text file (gzip is recognised).")
    private Path input;

    @Spec
    private CommandSpec spec;

    /**
     * Builds the pipeline: each line to a record keyed by its line number.
     *
     * @param input            the file
     * @param bootstrapServers the brokers
     * @param topic            the topic
     * @return the pipeline; its value is the number of records written
     */
    public static Pipeline<Long> produce(Path input, String bootstrapServers, String topic) {
        AtomicLong lineNumber = new AtomicLong(); // the sink's thread only: one at a time, in order
        return Pipeline.named("kafka-produce")
                .from(FileSource.lines(input))
                .to(KafkaSink.strings(bootstrapServers, topic,
                        (String line) -> Long.toString(lineNumber.incrementAndGet()), line -> line));
    }

    /**
     * Loads the file.
     *
     * @return the exit status: 0, or 1 if the pipeline failed
     */
    @Override
    public Integer call() {
        if (!Files.isRegularFile(input)) {
            throw new ParameterException(spec.commandLine(), "--input: " + input + " is not a file");
        }
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        RunResult<Long> result = produce(input, bootstrapServers, topic).run();
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf("wrote %d records to %s in %.1f s (%.0f records/s)%n", result.value(), topic, seconds,
                result.value() / seconds);
        return 0;
    }
}
