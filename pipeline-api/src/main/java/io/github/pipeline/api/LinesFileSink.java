package io.github.pipeline.api;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/** Writes lines to a file aside, moving it into place on success; see {@link Sink#lines(Path)}. */
final class LinesFileSink<T> implements Sink<T, Long> {

    private final Path file;

    LinesFileSink(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    @Override
    public SinkWriter<T, Long> open() throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".partial");
        BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
        return new SinkWriter<>() {
            private long lines;

            @Override
            public void accept(T item) throws IOException {
                out.write(item.toString());
                out.write('\n');
                lines++;
            }

            @Override
            public Long complete() throws IOException {
                try {
                    out.close();
                    move(temp, file);
                } catch (IOException | RuntimeException e) {
                    deleteQuietly(temp);
                    throw e;
                }
                return lines;
            }

            @Override
            public void abort(Throwable cause) {
                try {
                    out.close();
                } catch (IOException e) {
                    cause.addSuppressed(e);
                }
                deleteQuietly(temp);
            }
        };
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: a leftover ".partial" file never carries the final name
        }
    }

    @Override
    public String description() {
        return "lines to " + file;
    }
}
