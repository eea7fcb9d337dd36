package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.KeyedResult;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.io.DatasetGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WordCountCommandTest {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    /** Text with what makes word counting hard: case, accents, digits, scripts, surrogate pairs, punctuation. */
    private static final List<String> TRICKY = List.of(
            "The the THE tHe, cat's cat: CAT!",
            "Straße STRASSE straße — naïve café Café CAFÉ",
            "x² ⅻ 42 4-2 3.14 ١٢٣ (arabic digits) 二〇二六 東京 東京",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀😀 smile😀smile a_b a__b",
            "",
            "   leading and trailing   ",
            "İstanbul ǅemal ǆ ǅ Ǆ");

    @TempDir
    Path dir;

    /** The expected output, computed single-threaded with the regex of the specification. */
    private static List<String> expected(List<String> lines, int top) {
        Map<String, Long> counts = new HashMap<>();
        for (String line : lines) {
            Matcher m = WORD.matcher(line);
            while (m.find()) {
                counts.merge(m.group().toLowerCase(Locale.ROOT), 1L, Long::sum);
            }
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(top)
                .map(e -> e.getKey() + "\t" + e.getValue())
                .toList();
    }

    private static List<String> regexWords(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(line);
        while (m.find()) {
            words.add(m.group().toLowerCase(Locale.ROOT));
        }
        return words;
    }

    @Test
    void wordsAreMaximalRunsOfLettersAndDigitsLowerCased() {
        for (String line : TRICKY) {
            assertThat(WordCountCommand.words(line)).as(line).isEqualTo(regexWords(line));
        }
        assertThat(WordCountCommand.words("The cat's CAT, x²!")).containsExactly("the", "cat", "s", "cat", "x²");
        assertThat(WordCountCommand.words(" ,.; ")).isEmpty();
    }

    @Test
    void wordsAgreeWithTheRegexOnEveryCodePoint() {
        StringBuilder all = new StringBuilder();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (!Character.isSurrogate((char) cp) || cp > 0xFFFF) {
                all.appendCodePoint(cp);
            }
            if (all.length() > 4096 || cp == Character.MAX_CODE_POINT) {
                String chunk = all.toString();
                assertThat(WordCountCommand.words(chunk)).as("code points up to %x", cp).isEqualTo(regexWords(chunk));
                all.setLength(0);
            }
        }
    }

    @Test
    void printsTheMostFrequentWordsOfAFileTiesAlphabetically() throws IOException {
        Path text = Files.write(dir.resolve("tricky.txt"), TRICKY, StandardCharsets.UTF_8);

        Cli cli = Cli.run("wordcount", "--input", text.toString(), "--top", "1000", "--parallelism", "2");

        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(cli.outLines()).isEqualTo(expected(TRICKY, 1000)).startsWith("the\t4", "café\t3", "cat\t3");
        assertThat(cli.err()).contains("pipeline 'word-count' finished");
    }

    @Test
    void countsSeveralFilesAndDirectoriesTogether() throws IOException {
        Path one = dir.resolve("one.txt");
        Path many = Files.createDirectory(dir.resolve("many"));
        DatasetGenerator.text().withSeed(1).withSize(200_000).writeTo(one);
        DatasetGenerator.text().withSeed(2).withSize(150_000).writeTo(many.resolve("a.txt"));
        DatasetGenerator.text().withSeed(3).withSize(100_000).withGzip(true).writeTo(many.resolve("b.txt.gz"));
        List<String> lines = Stream.of(
                DatasetGenerator.text().withSeed(1).withSize(200_000).records(),
                DatasetGenerator.text().withSeed(2).withSize(150_000).records(),
                DatasetGenerator.text().withSeed(3).withSize(100_000).records())
                .flatMap(s -> s).toList();

        Cli cli = Cli.run("wordcount", "--input", one.toString(), "--input", many.toString(), "--top", "25");

        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(cli.outLines()).hasSize(25).isEqualTo(expected(lines, 25));
    }

    @Test
    void withoutInputItCountsAGeneratedCorpusAndDeletesIt() throws IOException {
        Set<Path> before = corpora();
        List<String> lines = DatasetGenerator.text().withSeed(5).withSize(256 * 1024).records().toList();

        Cli cli = Cli.run("wordcount", "--generate-size", "256K", "--seed", "5", "--top", "15");

        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(cli.outLines()).isEqualTo(expected(lines, 15));
        assertThat(cli.err()).contains("generated a corpus of " + lines.size() + " lines");
        assertThat(corpora()).isSubsetOf(before);
    }

    private static Set<Path> corpora() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("wordcount-corpus-"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void thePipelineAccountsForEveryLine() throws IOException {
        Path text = Files.write(dir.resolve("t.txt"), TRICKY, StandardCharsets.UTF_8);

        RunResult<List<KeyedResult<String, Long>>> result =
                WordCountCommand.topWords(WordCountCommand.textLines(List.of(text)), 3, 2).run().verifyBalanced();

        assertThat(result.sourceItems()).isEqualTo(TRICKY.size());
        assertThat(result.stage("lines").emitted()).isOne();
        long distinct = TRICKY.stream().flatMap(line -> regexWords(line).stream()).distinct().count();
        assertThat(result.stage("words").emitted()).isEqualTo(distinct);
        assertThat(result.stage("count").emitted()).isEqualTo(distinct);
        assertThat(result.value()).extracting(KeyedResult::key).containsExactly("the", "café", "cat");
    }

    @Test
    void theCombinerCountsEachDistinctWordOfABatchOnce() {
        assertThat(WordCountCommand.countWords(List.of("a b A", "b, c", ""))).containsExactlyInAnyOrder(
                new KeyedResult<>("a", 2L), new KeyedResult<>("b", 2L), new KeyedResult<>("c", 1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "wordcount --top 0|--top must be at least 1, got 0",
        "wordcount --input /no/such/file.txt|--input: /no/such/file.txt does not exist",
        "wordcount --generate-size 12Q|'12Q' is not a size"})
    void usageErrorsExitWithTwoAndOneLine(String argsAndMessage) {
        String[] parts = argsAndMessage.split("\\|");

        Cli cli = Cli.run(parts[0].split(" "));

        assertThat(cli.status()).isEqualTo(SamplesCommand.USAGE_ERROR);
        assertThat(cli.errLines()).singleElement().asString()
                .startsWith("pipeline-samples wordcount: ").contains(parts[1]);
        assertThat(cli.out()).isEmpty();
    }
}
