package io.github.pipeline.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Writes lines to a file aside, moving it into place on success; see {@link Sink#lines(Path)}. Resumable:
 * a checkpoint syncs the partial file and records its length.
 */
final class LinesFileSink<T> implements ResumableSink<T, Long> {

    private final Path file;

    LinesFileSink(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    @Override
    public CheckpointableWriter<T, Long> open() throws IOException {
        return writer(AtomicFileOutput.open(file), 0);
    }

    @Override
    public CheckpointableWriter<T, Long> resume(Map<String, String> checkpoint) throws IOException {
        FileCheckpoint at = FileCheckpoint.of(checkpoint);
        return writer(AtomicFileOutput.resume(file, at.partial(), at.length(), false), at.records());
    }

    private CheckpointableWriter<T, Long> writer(AtomicFileOutput output, long linesBefore) {
        Writer out = output.writer(StandardCharsets.UTF_8);
        return new CheckpointableWriter<>() {
            private long lines = linesBefore;

            @Override
            public void accept(T item) throws IOException {
                out.write(item.toString());
                out.write('\n');
                lines++;
            }

            @Override
            public Map<String, String> checkpoint() throws IOException {
                return new FileCheckpoint(output.partial(), output.checkpoint(), lines).toMap();
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

            @Override
            public void suspend(Throwable cause) {
                output.suspend();
            }
        };
    }

    @Override
    public String description() {
        return "lines to " + file;
    }
}
