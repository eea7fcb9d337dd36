package io.github.pipeline.io;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PositionedReader;
import io.github.pipeline.api.Sink;
import io.github.pipeline.runtime.ReactorEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures the file sources' throughput (not a test: run it by hand, see {@code docs/files.md}). Makes
 * a text, a CSV and a JSON-lines file of about the given size in a directory (kept for the next run),
 * then for each reads it three ways, each {@code rounds} times: a plain {@code BufferedReader.readLine}
 * loop, the file source's reader alone, and a pipeline of the file source into {@code Sink.count()}.
 *
 * <pre>{@code
 * java -cp <test class path> io.github.pipeline.io.FileThroughput /tmp/throughput 500 3
 * }</pre>
 */
public final class FileThroughput {

    private FileThroughput() {
    }

    /**
     * Runs the measurement.
     *
     * @param args the directory, the size in MiB (default 500), the rounds (default 3)
     * @throws Exception if a file cannot be made or read
     */
    @SuppressWarnings("try")
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/throughput"));
        long size = (args.length > 1 ? Long.parseLong(args[1]) : 500) << 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path text = make(dir.resolve("text.txt"), DatasetGenerator.text().withSize(size));
        Path csv = make(dir.resolve("data.csv"), DatasetGenerator.csv().withSize(size));
        Path jsonl = make(dir.resolve("data.jsonl"), DatasetGenerator.jsonLines().withSize(size));
        System.out.printf("%-10s %-28s %10s %8s %10s%n", "file", "reader", "records", "seconds", "MB/s");
        for (int round = 0; round < rounds; round++) {
            for (Path file : new Path[] {text, csv, jsonl}) {
                measure(file, "BufferedReader.readLine", () -> {
                    long n = 0;
                    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                        while (in.readLine() != null) {
                            n++;
                        }
                    }
                    return n;
                });
                FileSource<?> source = file == text ? FileSource.lines(file)
                        : file == csv ? FileSource.csv(file) : FileSource.jsonLines(file);
                measure(file, "FileSource reader", () -> {
                    long n = 0;
                    try (PositionedReader<?> reader = source.open()) {
                        while (reader.next() != null) {
                            n++;
                        }
                    }
                    return n;
                });
                measure(file, "pipeline into Sink.count()", () ->
                        Pipeline.named("throughput").from(source).to(Sink.count()).run(ReactorEngine.create()).value());
            }
        }
    }

    private static Path make(Path file, DatasetGenerator generator) throws IOException {
        if (!Files.exists(file)) {
            long start = System.nanoTime();
            DatasetGenerator.Written written = generator.writeTo(file);
            System.out.printf("made %s: %d records, %d bytes in %.1f s%n", file, written.records(), written.bytes(),
                    (System.nanoTime() - start) / 1e9);
        }
        return file;
    }

    private interface Count {
        long run() throws Exception;
    }

    private static void measure(Path file, String reader, Count count) throws Exception {
        long start = System.nanoTime();
        long records = count.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-10s %-28s %10d %8.2f %10.1f%n", file.getFileName(), reader, records, seconds,
                Files.size(file) / 1e6 / seconds);
    }
}
