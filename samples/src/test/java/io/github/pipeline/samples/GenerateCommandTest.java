package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenerateCommandTest {

    @TempDir
    Path dir;

    @Test
    void csvRowsWithAHeader() throws IOException {
        Path out = dir.resolve("d.csv");

        Cli cli = Cli.run("generate", "csv", "--rows", "100", "--output", out.toString());

        assertThat(cli.status()).isZero();
        assertThat(cli.err()).startsWith("wrote 100 csv records (");
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("id,name,city,category,amount,quantity,active,created,note");
        assertThat(lines).hasSizeGreaterThanOrEqualTo(101);
    }

    @Test
    void theSameSeedMakesTheSameFile() throws IOException {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        Cli.run("generate", "jsonl", "--rows", "500", "--seed", "9", "--output", a.toString());
        Cli.run("generate", "jsonl", "--rows", "500", "--seed", "9", "--output", b.toString());

        assertThat(Files.mismatch(a, b)).isEqualTo(-1);
    }

    @Test
    void textOfASizeGzippedByTheOptionOrTheName() throws IOException {
        Path byOption = dir.resolve("t.data");
        Path byName = dir.resolve("t.txt.gz");

        assertThat(Cli.run("generate", "text", "--size", "64K", "--gzip", "--output", byOption.toString()).status()).isZero();
        assertThat(Cli.run("generate", "text", "--size", "64k", "--output", byName.toString()).status()).isZero();

        for (Path file : List.of(byOption, byName)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                byte[] text = in.readAllBytes();
                assertThat(text.length).isLessThanOrEqualTo(64 * 1024).isGreaterThan(60 * 1024);
                assertThat(new String(text, StandardCharsets.UTF_8)).endsWith("\n");
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "generate csv --output x                          | Error: Missing required argument (specify one of these): (--size=SIZE | --rows=N)",
        "generate csv --rows 5 --size 1K --output x       | mutually exclusive",
        "generate csv --rows 5                            | Missing required option: '--output=FILE'",
        "generate xml --rows 5 --output x                 | Invalid value for positional parameter at index 0 (KIND): expected one of [text, csv, jsonl]",
        "generate text --size 5X --output x               | '5X' is not a size",
        "generate text --rows -3 --output x               | --rows must not be negative, got -3"})
    void usageErrorsSayWhatIsWrong(String args, String message) {
        Cli cli = Cli.run(args.split(" +"));

        assertThat(cli.status()).isEqualTo(SamplesCommand.USAGE_ERROR);
        assertThat(cli.errLines()).singleElement().asString().contains(message);
    }

    @Test
    void anUnwritableOutputFailsWithStatusOne() throws IOException {
        Path blocked = Files.writeString(dir.resolve("file"), "x");

        Cli cli = Cli.run("generate", "text", "--rows", "1", "--output", blocked.resolve("below").toString());

        assertThat(cli.status()).isEqualTo(SamplesCommand.PIPELINE_FAILED);
        assertThat(cli.err()).startsWith("pipeline-samples generate: cannot write ");
    }
}
