package io.github.pipeline.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/** Writes lines to a file aside, moving it into place on success; see {@link Sink#lines(Path)}. */
final class LinesFileSink<T> implements Sink<T, Long> {

    private final Path file;

    LinesFileSink(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    @Override
    public SinkWriter<T, Long> open() throws IOException {
        AtomicFileOutput output = AtomicFileOutput.open(file);
        Writer out = output.writer(StandardCharsets.UTF_8);
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
                output.commit();
                return lines;
            }

            @Override
            public void abort(Throwable cause) {
                output.abort();
            }
        };
    }

    @Override
    public String description() {
        return "lines to " + file;
    }
}
