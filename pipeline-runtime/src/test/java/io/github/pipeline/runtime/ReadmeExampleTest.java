package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Aggregators;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.KeyedResult;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.io.DatasetGenerator;
import io.github.pipeline.io.FileSink;
import io.github.pipeline.io.FileSource;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples in the README compile, run, and are the same code as the README shows. */
class ReadmeExampleTest {

    private static final String BEGIN = "README example: begin";
    private static final String END = "README example: end";
    private static final String FILES_BEGIN = "README large-file example: begin";
    private static final String FILES_END = "README large-file example: end";
    private static final String WORD_COUNT_BEGIN = "README word count: begin";
    private static final String WORD_COUNT_END = "README word count: end";

    @Test
    void theExampleRunsAndGivesTheSumOfTheEvenCubes() {
        // README example: begin
        Pipeline<Long> sumOfCubes = Pipeline.named("sum-of-cubes")
                .from(Source.range(1, 10_001))                          // Python's range(1, 10001)
                .map("cube", x -> x * x * x, StageOptions.parallel())   // one rail per core
                .filter("even", x -> x % 2 == 0)                        // sequential
                .to(Sink.reduce(0L, Long::sum));

        System.out.println(sumOfCubes.describe());                      // the graph and its options
        RunResult<Long> result = sumOfCubes.run();                      // blocks, like Pool.map
        System.out.println(result.value() + "\n" + result.summary());   // value and per-stage counts
        Execution<Long> running = sumOfCubes.start();                   // returns at once, like map_async
        long again = running.result();                                  // waits, like AsyncResult.get()
        // README example: end

        long expected = LongStream.range(1, 10_001).map(x -> x * x * x).filter(x -> x % 2 == 0).sum();
        assertThat(result.verifyBalanced().value()).isEqualTo(expected);
        assertThat(again).isEqualTo(expected);
    }

    @Test
    void theLargeFileExampleWritesTheTotalsAndKeepsTheBadRows(@TempDir Path dir) throws IOException {
        Path input = dir.resolve("trades.csv.gz");
        DatasetGenerator.csv().withRows(100_000).withGzip(true).writeTo(input);
        try (OutputStream more = new GZIPOutputStream(Files.newOutputStream(input, StandardOpenOption.APPEND))) {
            more.write("999999,broken row\n".getBytes(StandardCharsets.UTF_8)); // a second gzip member, read on
        }
        Path rejects = dir.resolve("rejects.txt");
        Path output = dir.resolve("totals.csv");

        // README large-file example: begin
        Pipeline<Long> totals = Pipeline.named("trade-totals")
                .from(FileSource.csv(input)                              // gzip by name or magic bytes
                        .withErrorPolicy(ErrorPolicy.deadLetter(Sink.lines(rejects))))   // bad rows: kept aside
                .map("total", row -> List.of(row.getLong("id"),
                        row.getDecimal("amount").multiply(BigDecimal.valueOf(row.getInt("quantity")))),
                        StageOptions.parallel())
                .to(FileSink.csv(output, List.of("id", "total"), fields -> fields));  // moved in place on success

        RunResult<Long> result = totals.withProgressListener(Duration.ofSeconds(1),
                progress -> System.err.printf("%.0f%% read%n", 100 * progress.fractionRead().orElse(0))).run();
        System.out.println(result.summary());                            // <source> counts the bad rows
        // README large-file example: end

        assertThat(result.verifyBalanced().value()).isEqualTo(100_000);
        assertThat(result.stage("<source>").deadLettered()).isOne();
        assertThat(Files.readString(rejects)).contains("broken row", "the row has 2 columns where the header has 9");
        assertThat(Files.lines(output).count()).isEqualTo(100_001);
    }

    @Test
    void theWordCountGivesTheTenMostFrequentWordsTiesInAlphabeticalOrder(@TempDir Path dir) throws IOException {
        Path book = dir.resolve("book.txt");
        Files.write(book, List.of("The cat and the hat.", "A cat, a bat; THE END", "", "and so on, and so forth"));

        // README word count: begin
        Comparator<KeyedResult<String, Long>> mostFrequentFirst = Comparator
                .comparing(KeyedResult<String, Long>::value, Comparator.reverseOrder())
                .thenComparing(KeyedResult::key);                                // ties in alphabetical order
        Pipeline<List<KeyedResult<String, Long>>> topWords = Pipeline.named("word-count")
                .from(Source.lines(book))
                .flatMap("split", line -> List.of(line.toLowerCase().split("\\W+")), StageOptions.parallel())
                .filter("words", word -> !word.isEmpty())
                .aggregate("count-words", word -> word, Aggregators.count())     // spills past its memory bound
                .to(Sink.topK(10, mostFrequentFirst));                           // a heap of 10, not a list of all
        List<KeyedResult<String, Long>> top = topWords.run().value();
        // README word count: end

        Map<String, Long> counts = new HashMap<>();
        for (String word : "the cat and the hat a cat a bat the end and so on and so forth".split(" ")) {
            counts.merge(word, 1L, Long::sum);
        }
        assertThat(top).containsExactlyElementsOf(counts.entrySet().stream()
                .map(e -> new KeyedResult<>(e.getKey(), e.getValue())).sorted(mostFrequentFirst).limit(10).toList());
        assertThat(top).extracting(KeyedResult::toString)
                .startsWith("and=3", "the=3", "a=2", "cat=2", "so=2", "bat=1", "end=1");
    }

    @Test
    void theReadmeShowsExactlyTheTestedWordCount() throws IOException {
        Path readme = Path.of("..", "README.md");
        Path test = Path.of("src", "test", "java", "io", "github", "pipeline", "runtime", "ReadmeExampleTest.java");

        assertThat(between(Files.readAllLines(readme), WORD_COUNT_BEGIN, WORD_COUNT_END))
                .as("the java block between the README's '%s' and '%s' markers", WORD_COUNT_BEGIN, WORD_COUNT_END)
                .isEqualTo(between(Files.readAllLines(test), WORD_COUNT_BEGIN, WORD_COUNT_END));
    }

    @Test
    void theReadmeShowsExactlyTheTestedCode() throws IOException {
        Path readme = Path.of("..", "README.md");
        Path test = Path.of("src", "test", "java", "io", "github", "pipeline", "runtime", "ReadmeExampleTest.java");

        for (String[] markers : new String[][] {{BEGIN, END}, {FILES_BEGIN, FILES_END}}) {
            assertThat(between(Files.readAllLines(readme), markers[0], markers[1]))
                    .as("the java block between the README's '%s' and '%s' markers", markers[0], markers[1])
                    .isEqualTo(between(Files.readAllLines(test), markers[0], markers[1]));
        }
    }

    /** The lines strictly between the markers, without code fences, indentation made relative. */
    private static List<String> between(List<String> lines, String begin, String end) {
        int from = indexOf(lines, begin) + 1;
        int to = indexOf(lines, end);
        List<String> block = lines.subList(from, to).stream().filter(l -> !l.startsWith("```")).toList();
        int indent = block.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return block.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker) && !lines.get(i).contains("\"")) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + marker + "' in " + Arrays.toString(lines.toArray()).substring(0, 80));
    }
}
