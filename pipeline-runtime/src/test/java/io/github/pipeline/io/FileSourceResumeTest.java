package io.github.pipeline.io;

import static io.github.pipeline.io.Files2.gzip;
import static io.github.pipeline.io.Files2.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.CheckpointableReader;
import io.github.pipeline.api.SourceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A file source's reader says where it stands between records, and a reader resumed from there returns
 * exactly the records after it: at every record boundary, for each format, gzipped or not, across files.
 */
@SuppressWarnings("try") // SourceReader.close() may throw any Exception
class FileSourceResumeTest {

    @TempDir
    Path dir;

    /** Reads {@code cut} records, takes the reader's state, resumes from it and reads the rest. */
    private static <T> List<String> readWithResumeAfter(FileSource<T> source, int cut, Function<T, String> text)
            throws Exception {
        List<String> items = new ArrayList<>();
        Map<String, String> state;
        try (CheckpointableReader<T> reader = (CheckpointableReader<T>) source.open()) {
            for (int i = 0; i < cut; i++) {
                T item = reader.next();
                if (item == null) {
                    break;
                }
                items.add(text.apply(item));
            }
            state = reader.checkpoint();
        }
        try (CheckpointableReader<T> resumed = source.resume(state)) {
            readRest(resumed, items, text);
        }
        return items;
    }

    private static <T> List<String> readAll(FileSource<T> source, Function<T, String> text) throws Exception {
        List<String> items = new ArrayList<>();
        try (SourceReader<T> reader = source.open()) {
            readRest(reader, items, text);
        }
        return items;
    }

    private static <T> void readRest(SourceReader<T> reader, List<String> items, Function<T, String> text)
            throws Exception {
        for (T item = reader.next(); item != null; item = reader.next()) {
            items.add(text.apply(item));
        }
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void linesResumeAtEveryRecordBoundary(boolean gzipped) throws Exception {
        String text = "\uFEFFone\r\ntwo\n\nfour\nfive without newline";
        Path file = gzipped ? write(dir.resolve("a.txt.gz"), gzip(text)) : write(dir.resolve("a.txt"), text);
        FileSource<String> source = FileSource.lines(file);
        List<String> all = readAll(source, s -> s);

        for (int cut = 0; cut <= all.size(); cut++) {
            assertThat(readWithResumeAfter(source, cut, s -> s)).as("resumed after %d", cut).isEqualTo(all);
        }
    }

    @Test
    void csvRowsResumeWithTheirHeaderAndLineNumbers() throws Exception {
        Path file = write(dir.resolve("t.csv"), "id,name\n1,\"multi\nline\"\n2,b\n\n3,c\n");
        FileSource<CsvRow> source = FileSource.csv(file);
        Function<CsvRow, String> text = row -> row.line() + ":" + row.get("id") + "=" + row.get("name");
        List<String> all = readAll(source, text);

        assertThat(all).containsExactly("2:1=multi\nline", "4:2=b", "6:3=c");
        for (int cut = 0; cut <= all.size(); cut++) {
            assertThat(readWithResumeAfter(source, cut, text)).as("resumed after %d", cut).isEqualTo(all);
        }
    }

    @Test
    void aDirectoryResumesInTheFileItWasIn() throws Exception {
        write(dir.resolve("1.jsonl"), "{\"n\":1}\n{\"n\":2}\n");
        write(dir.resolve("2.jsonl"), "");
        write(dir.resolve("3.jsonl"), "{\"n\":3}\n");
        FileSource<com.fasterxml.jackson.databind.JsonNode> source = FileSource.jsonLines(dir).withGlob("*.jsonl");
        Function<com.fasterxml.jackson.databind.JsonNode, String> text = node -> node.get("n").asText();

        for (int cut = 0; cut <= 3; cut++) {
            assertThat(readWithResumeAfter(source, cut, text)).as("resumed after %d", cut).containsExactly("1", "2", "3");
        }
    }

    @Test
    void aResumeFailsClearlyWhenTheInputChanged() throws Exception {
        Path file = write(dir.resolve("a.txt"), "one\ntwo\nthree\n");
        FileSource<String> source = FileSource.lines(file);
        Map<String, String> state;
        try (CheckpointableReader<String> reader = (CheckpointableReader<String>) source.open()) {
            reader.next();
            reader.next();
            state = reader.checkpoint();
        }
        java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(file);
        write(file, "one\ntwo\nTHREE\n"); // as long as before, rewritten
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(before.toMillis() + 5_000));
        assertThatThrownBy(() -> source.resume(state)).isInstanceOf(IOException.class)
                .hasMessageContaining("the input changed since the checkpoint").hasMessageContaining("was modified since");
        write(file, "one\n");
        assertThatThrownBy(() -> source.resume(state)).isInstanceOf(IOException.class)
                .hasMessageContaining("the input changed since the checkpoint").hasMessageContaining("has 4 bytes, and had 14");

        Files.move(file, dir.resolve("b.txt"));
        write(dir.resolve("c.txt"), "x\n");
        assertThatThrownBy(() -> FileSource.lines(dir).resume(state)).isInstanceOf(IOException.class)
                .hasMessageContaining("file #1 is " + dir.resolve("b.txt"));
        assertThatThrownBy(() -> FileSource.lines(dir).withConcurrentFiles(2).resume(state))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2 files at once cannot resume");
    }
}
