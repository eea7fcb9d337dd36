package io.github.pipeline.samples;

import io.github.pipeline.api.Checkpoints;
import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.kafka.KafkaRecord;
import io.github.pipeline.kafka.KafkaSink;
import io.github.pipeline.kafka.KafkaSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code kafka-worker} sample: one worker of a consumer group that counts the words of each line of
 * a topic and writes the counts to another topic. Start the same command on N machines (same group) and
 * Kafka spreads the partitions over them; kill one and the others take over its partitions.
 *
 * <pre>
 * source  {@link KafkaSource}  the input topic, as a member of the group; offsets committed at checkpoints
 * map     'count-words'  parallel, unordered   the line's words and how often each occurs in it
 * sink    {@link KafkaSink}    one record per line: the line's key, "word=count word=count ..."
 * </pre>
 *
 * <p>A checkpoint cannot cover an aggregate stage (its state spans all the records), so the worker emits
 * per-line counts: sum them downstream (a compacted topic, a query, another pipeline). A line that fails
 * the count goes to the dead-letter topic when one is given.
 *
 * <pre>{@code
 * java -jar samples/target/pipeline-samples.jar kafka-worker --bootstrap-servers broker:9092 \
 *     --group word-counters --input-topic lines --output-topic line-counts
 * }</pre>
 */
@Command(name = "kafka-worker", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = {"One worker of a consumer group: counts the words of each line of the input topic and "
                + "writes 'word=count ...' per line to the output topic. Run it on N machines with the same "
                + "--group to share the partitions; offsets are committed at checkpoints, after the output is "
                + "flushed (at least once).",
            "Runs until stopped (Ctrl-C), or until --max-records or --idle-timeout."})
public final class KafkaWorkerCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", required = true,
            description = "The Kafka brokers to connect to first.")
    private String bootstrapServers;

    @Option(names = "--group", paramLabel = "GROUP", required = true,
            description = "The consumer group: the same for every worker of the job.")
    private String group;

    @Option(names = "--input-topic", paramLabel = "TOPIC", required = true, description = "The topic of lines.")
    private String inputTopic;

    @Option(names = "--output-topic", paramLabel = "TOPIC", required = true, description = "The topic of counts.")
    private String outputTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC",
            description = "Where lines that fail go, with the error; without it a failing line fails the run.")
    private String deadLetterTopic;

    @Option(names = "--commit-every", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between checkpoints, which commit the offsets (default: ${DEFAULT-VALUE}).")
    private double commitSeconds;

    @Option(names = "--commit-every-records", paramLabel = "N", defaultValue = "10000",
            description = "Records between checkpoints, at most (default: ${DEFAULT-VALUE}): a crash delivers"
                    + " at most about this many records again.")
    private long commitRecords;

    @Option(names = "--max-records", paramLabel = "N", defaultValue = "0",
            description = "Stop after N records (default: 0, never).")
    private long maxRecords;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop after SECONDS without a record (default: 0, never).")
    private double idleSeconds;

    @Mixin
    private ParallelismOption parallelism;

    @Spec
    private CommandSpec spec;

    /**
     * Builds the worker's pipeline.
     *
     * @param source          the input
     * @param output          the output
     * @param deadLetters     where failing lines go, or {@code null} to fail the run
     * @param parallelism     the rails of the count
     * @return the pipeline, without checkpoints; its value is the records written
     */
    public static Pipeline<Long> worker(KafkaSource<String, String> source,
                                        KafkaSink<KafkaRecord<String, String>, String, String> output,
                                        KafkaSink<DeadLetter, String, String> deadLetters, int parallelism) {
        StageOptions rails = StageOptions.parallel(parallelism);
        if (deadLetters != null) {
            rails = rails.withErrorPolicy(ErrorPolicy.deadLetter(deadLetters));
        }
        return Pipeline.named("kafka-worker").from(source)
                .map("count-words", record -> new KafkaRecord<>(record.topic(), record.partition(), record.offset(),
                        record.timestamp(), record.key(), countWords(record.value())), rails)
                .to(output);
    }

    /**
     * Counts the words of a line: lower-cased runs of letters and digits, as {@code word=count} pairs in
     * alphabetical order, separated by spaces.
     *
     * @param line the line
     * @return the counts, empty for a line without words
     */
    public static String countWords(String line) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String word : line.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        counts.forEach((word, count) -> out.append(out.length() == 0 ? "" : " ").append(word).append('=')
                .append(count));
        return out.toString();
    }

    /**
     * Runs the worker until it is stopped or reaches a limit.
     *
     * @return the exit status: 0, or 1 if the pipeline failed
     */
    @Override
    public Integer call() {
        if (commitSeconds < 0.001) {
            throw new ParameterException(spec.commandLine(), "--commit-every must be at least 0.001 s, got "
                    + commitSeconds);
        }
        if (commitRecords < 1 || maxRecords < 0 || idleSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "--commit-every-records must be at least 1 and"
                    + " --max-records and --idle-timeout not negative");
        }
        KafkaSource<String, String> source = KafkaSource.strings(bootstrapServers, group, List.of(inputTopic))
                .withMaxRecords(maxRecords);
        if (idleSeconds > 0) {
            source = source.withIdleTimeout(Duration.ofNanos((long) (idleSeconds * 1e9)));
        }
        KafkaSink<KafkaRecord<String, String>, String, String> output = KafkaSink.strings(bootstrapServers,
                outputTopic, KafkaRecord::key, KafkaRecord::value);
        KafkaSink<DeadLetter, String, String> deadLetters = deadLetterTopic == null ? null
                : KafkaSink.strings(bootstrapServers, deadLetterTopic, letter -> letter.stage(),
                        letter -> letter.item() + " failed: " + letter.error());
        Pipeline<Long> pipeline = worker(source, output, deadLetters, parallelism.parallelism())
                .withCheckpoints(Checkpoints.withoutFile().every(Duration.ofNanos((long) (commitSeconds * 1e9)))
                        .everyItems(commitRecords));
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        Execution<Long> execution = pipeline.start();
        // Ctrl-C: stop reading, close the consumer (nothing committed past the last checkpoint), within 15 s
        Thread stopper = new Thread(() -> stop(execution), "kafka-worker-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            RunResult<Long> result = execution.await();
            double seconds = (System.nanoTime() - start) / 1e9;
            long read = source.stats().returned();
            boolean endedIdle = idleSeconds > 0 && (maxRecords == 0 || read < maxRecords);
            double busy = endedIdle ? seconds - idleSeconds : seconds; // the last wait read nothing
            err.print(result.summary());
            err.printf("wrote %d records to %s in %.1f s%s (%.0f records/s); %s%n", result.value(), outputTopic,
                    busy, endedIdle ? " and waited " + idleSeconds + " s for more" : "", read / busy,
                    source.stats());
            Runtime.getRuntime().removeShutdownHook(stopper);
            return 0;
        } catch (PipelineCancelledException stopped) {
            err.println("stopped; " + source.stats());
            return 0;
        }
    }

    private static void stop(Execution<Long> execution) {
        execution.cancel();
        try {
            execution.await(Duration.ofSeconds(15));
        } catch (RuntimeException ended) {
            // cancelled, as asked
        }
    }
}
