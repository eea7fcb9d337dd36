package io.github.pipeline.samples;

import io.github.pipeline.api.Aggregators;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.KeyedResult;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PullSource;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.io.DatasetGenerator;
import io.github.pipeline.io.FileSource;
import io.github.pipeline.io.MalformedInput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code wordcount} sample: the most frequent words of text files, in bounded memory however large
 * the files.
 *
 * <pre>
 * source     {@link FileSource#lines}     lines of each file (gzip too); invalid UTF-8 becomes U+FFFD,
 *                                        a line over 1 MiB is skipped and counted
 * batch      'lines'                      lists of {@value #LINES_PER_BATCH} lines
 * flatMap    'words'  parallel, CPU-bound  the batch's words ({@link #words}), counted: one (word, count)
 *                                        per distinct word of the batch ({@link #countWords})
 * aggregate  'count'  its own thread       a total per word, spilled to disk past its memory bound
 * sink       {@link Sink#topK}             a heap of K: most frequent first, ties alphabetical
 * </pre>
 *
 * <p>The rails count each batch's words before the aggregate sees them, as a MapReduce combiner
 * does: the aggregate folds on one thread, and handing it every word one by one made it the
 * bottleneck (measured in {@code docs/samples.md}).
 *
 * <p>A word is a maximal run of letters and digits ({@code [\p{L}\p{N}]+}), lower-cased with
 * {@link Locale#ROOT}. Without {@code --input} the sample first generates a text corpus of
 * {@code --generate-size} bytes into a temporary file, which it deletes afterwards.
 *
 * <pre>{@code
 * java -jar samples/target/pipeline-samples.jar wordcount --input book.txt --top 20
 * java -Xmx64m -jar samples/target/pipeline-samples.jar wordcount --input big.txt.gz
 * }</pre>
 */
@Command(name = "wordcount", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = {"Counts the words of text files (gzip too) and prints the K most frequent as "
                + "'word<TAB>count' lines, most frequent first, ties in alphabetical order.",
            "A word is a maximal run of letters and digits, lower-cased. Memory stays bounded however "
                    + "large the input: the counts spill to disk."})
public final class WordCountCommand implements Callable<Integer> {

    /** How many lines the rails count at a time, before the aggregate adds up the counts. */
    public static final int LINES_PER_BATCH = 500;

    /** The size of the corpus generated when no input is given. */
    public static final long DEFAULT_CORPUS_BYTES = 32L << 20;

    /** Most frequent first, ties in alphabetical order. */
    public static final Comparator<KeyedResult<String, Long>> MOST_FREQUENT_FIRST = Comparator
            .comparing(KeyedResult<String, Long>::value, Comparator.reverseOrder())
            .thenComparing(KeyedResult::key);

    @Option(names = "--input", paramLabel = "FILE_OR_DIR", arity = "1..*",
            description = "Text files, or directories whose files are read (repeatable; gzip is "
                    + "recognised). Without it, a corpus is generated first.")
    private List<Path> inputs = new ArrayList<>();

    @Option(names = "--top", paramLabel = "K",
            description = "How many words to print, at least 1 (default: ${DEFAULT-VALUE}).")
    private int top = 10;

    @Option(names = "--generate-size", paramLabel = "SIZE", converter = GenerateCommand.SizeConverter.class,
            description = "Without --input: the size of the generated corpus, for example 100M "
                    + "(default: 32M).")
    private long generateSize = DEFAULT_CORPUS_BYTES;

    @Option(names = "--seed", paramLabel = "S",
            description = "Without --input: the seed of the generated corpus (default: ${DEFAULT-VALUE}).")
    private long seed = 42;

    @Mixin
    private ParallelismOption parallelism;

    @Mixin
    private ProgressOptions progress;

    @Mixin
    private ObservabilityOptions observability;

    @Spec
    private CommandSpec spec;

    /**
     * The words of a line: maximal runs of letters and digits (the code points that
     * {@code [\p{L}\p{N}]} matches), each lower-cased with {@link Locale#ROOT}.
     *
     * @param line the line
     * @return its words, in order; empty if it has none
     */
    public static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i < line.length()) {
            int codePoint = line.codePointAt(i);
            if (isWordCharacter(codePoint)) {
                if (start < 0) {
                    start = i;
                }
            } else if (start >= 0) {
                words.add(line.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
            i += Character.charCount(codePoint);
        }
        if (start >= 0) {
            words.add(line.substring(start).toLowerCase(Locale.ROOT));
        }
        return words;
    }

    /**
     * Counts the words of some lines: the combiner step, run on the rails.
     *
     * @param lines the lines
     * @return one {@code (word, count)} per distinct word of the lines, in no particular order
     */
    public static Collection<KeyedResult<String, Long>> countWords(List<String> lines) {
        Map<String, Long> counts = new HashMap<>();
        for (String line : lines) {
            for (String word : words(line)) {
                counts.merge(word, 1L, Long::sum);
            }
        }
        List<KeyedResult<String, Long>> entries = new ArrayList<>(counts.size());
        counts.forEach((word, count) -> entries.add(new KeyedResult<>(word, count)));
        return entries;
    }

    /** Whether the code point is in {@code \p{L}} or {@code \p{N}}, as {@link java.util.regex} defines them. */
    private static boolean isWordCharacter(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    /**
     * Reads lines of text files the way this sample does: gzip recognised, invalid bytes replaced by
     * U+FFFD (which is not a letter, so it separates words), lines longer than the default maximum
     * skipped and counted rather than failing the run.
     *
     * @param inputs files or directories, read one after another
     * @return the source
     */
    public static PullSource<String> textLines(List<Path> inputs) {
        List<FileSource<String>> sources = new ArrayList<>();
        for (Path input : inputs) {
            sources.add(FileSource.lines(input).withMalformedInput(MalformedInput.REPLACE)
                    .withErrorPolicy(ErrorPolicy.skip()));
        }
        return sources.size() == 1 ? sources.get(0) : new ConcatenatedSource<>(sources);
    }

    /**
     * Builds the pipeline: lines in batches, their words counted on parallel rails, the counts added
     * up per word, the top K. Batches travel one at a time with a small prefetch, so the rails hold a
     * few thousand lines, not the default buffers' worth of batches.
     *
     * @param lines       the lines of text
     * @param top         how many words to keep
     * @param parallelism how many rails split lines into words
     * @return the pipeline, whose value is the {@code top} most frequent words with their counts
     */
    public static Pipeline<List<KeyedResult<String, Long>>> topWords(Source<String> lines, int top, int parallelism) {
        return Pipeline.named("word-count")
                .from(lines)
                .batch("lines", LINES_PER_BATCH)
                .flatMap("words", WordCountCommand::countWords,
                        StageOptions.parallel(parallelism).withChunkSize(1).withPrefetch(4))
                .aggregate("count", KeyedResult::key, Aggregators.sumLong(KeyedResult::value))
                .to(Sink.topK(top, MOST_FREQUENT_FIRST));
    }

    /**
     * Counts the words and prints the top K on stdout, the run's summary and profile on stderr.
     *
     * @return the exit status: 0, or 1 if the pipeline or the generation of the corpus failed
     */
    @Override
    public Integer call() {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, got " + top);
        }
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                throw new ParameterException(spec.commandLine(), "--input: " + input + " does not exist");
            }
        }
        int rails = parallelism.parallelism();
        if (!inputs.isEmpty()) {
            return count(inputs, rails);
        }
        Path corpus;
        try {
            corpus = Files.createTempFile("wordcount-corpus-", ".txt");
        } catch (IOException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": cannot make a temporary file: " + e);
            return SamplesCommand.PIPELINE_FAILED;
        }
        try {
            DatasetGenerator.Written written;
            try {
                written = DatasetGenerator.text().withSeed(seed).withSize(generateSize).writeTo(corpus);
            } catch (IOException e) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": cannot write the corpus: " + e);
                return SamplesCommand.PIPELINE_FAILED;
            }
            spec.commandLine().getErr().printf(Locale.ROOT, "generated a corpus of %d lines (%d bytes, seed %d)%n",
                    written.records(), written.bytes(), seed);
            return count(List.of(corpus), rails);
        } finally {
            try {
                Files.deleteIfExists(corpus);
            } catch (IOException e) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": cannot delete " + corpus + ": " + e);
            }
        }
    }

    private int count(List<Path> files, int rails) {
        PrintWriter out = spec.commandLine().getOut();
        try (ObservabilityOptions options = observability) {
            Pipeline<List<KeyedResult<String, Long>>> pipeline = progress.watch(topWords(textLines(files), top, rails));
            RunResult<List<KeyedResult<String, Long>>> result = pipeline.run(options.engine());
            for (KeyedResult<String, Long> word : result.value()) {
                out.print(word.key() + "\t" + word.value() + "\n");
            }
            out.flush();
            spec.commandLine().getErr().print(result.summary());
            options.report(result);
        }
        return 0;
    }
}
