package io.github.pipeline.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import io.github.pipeline.api.AtomicFileOutput;
import io.github.pipeline.api.CheckpointableWriter;
import io.github.pipeline.api.FileCheckpoint;
import io.github.pipeline.api.ResumableSink;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Writes a run's items to a file, as lines, CSV rows or JSON lines, gzip-compressed if asked (by
 * default when the name ends with {@code .gz}). The file is written aside and moved into place only
 * when the run succeeds ({@link AtomicFileOutput}): a failed or cancelled run leaves an existing file
 * untouched and no partial file under the final name. The run's value is the number of records
 * written. Immutable.
 *
 * <pre>{@code
 * FileSink.<String>lines(Path.of("out.txt.gz"))                          // gzip, by the name
 * FileSink.csv(Path.of("out.csv"), List.of("id", "total"), t -> List.of(t.id(), t.total()))
 * FileSink.jsonLines(Path.of("out.jsonl"))                               // Jackson, one value a line
 * }</pre>
 *
 * @param <T> the type of the items
 */
public final class FileSink<T> implements ResumableSink<T, Long> {

    private final Path file;
    private final Kind<T> kind;
    private final boolean gzip;
    private final Charset charset;

    private FileSink(Path file, Kind<T> kind, boolean gzip, Charset charset) {
        this.file = file;
        this.kind = kind;
        this.gzip = gzip;
        this.charset = charset;
    }

    private static <T> FileSink<T> of(Path file, Kind<T> kind) {
        Objects.requireNonNull(file, "file");
        return new FileSink<>(file.toAbsolutePath(), kind, file.getFileName().toString().endsWith(".gz"),
                StandardCharsets.UTF_8);
    }

    /**
     * Each item's {@code toString()} as a line ending with {@code \n}.
     *
     * @param file the file to write
     * @param <T>  the type of the items
     * @return the sink, UTF-8, gzip if the name ends with {@code .gz}
     */
    public static <T> FileSink<T> lines(Path file) {
        return of(file, new Kind<T>("lines", (output, charset, recordsBefore) -> {
            Writer out = output.writer(charset);
            return item -> {
                out.write(item.toString());
                out.write('\n');
            };
        }));
    }

    /**
     * CSV with a header (RFC 4180 quoting, {@code \n} line ends): {@code fields} gives each item's values
     * in the order of {@code header}; a value is written as its {@code toString()}, {@code null} as an
     * empty field.
     *
     * @param file   the file to write
     * @param header the column names
     * @param fields an item's values, as many as the header has columns
     * @param <T>    the type of the items
     * @return the sink
     */
    public static <T> FileSink<T> csv(Path file, List<String> header, Function<? super T, ? extends List<?>> fields) {
        List<String> columns = List.copyOf(header);
        Objects.requireNonNull(fields, "fields");
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a CSV header needs at least one column");
        }
        return of(file, new Kind<T>("CSV " + columns, (output, charset, recordsBefore) -> {
            CsvWriter csv = csvWriter(output.writer(charset));
            if (recordsBefore < 0) { // a resumed file has its header: it was written when the file was opened
                csv.writeRecord(columns);
            }
            return new RecordWriter<T>() {
                @Override
                public void write(T item) {
                    List<?> values = fields.apply(item);
                    if (values.size() != columns.size()) {
                        throw new IllegalArgumentException("the item has " + values.size() + " values for the "
                                + columns.size() + " columns " + columns);
                    }
                    csv.writeRecord(texts(values));
                }

                @Override
                public void finish() throws IOException {
                    csv.flush();
                }
            };
        }));
    }

    /**
     * CSV rows, as read by {@link FileSource#csv(Path)}: the header is the first row's columns, and every
     * row must have the same columns.
     *
     * @param file the file to write
     * @return the sink
     */
    public static FileSink<CsvRow> csvRows(Path file) {
        return of(file, new Kind<CsvRow>("CSV rows", (output, charset, recordsBefore) -> {
            CsvWriter csv = csvWriter(output.writer(charset));
            return new RecordWriter<CsvRow>() {
                private List<String> columns;

                @Override
                public void write(CsvRow row) {
                    if (columns == null) {
                        columns = row.columns();
                        if (recordsBefore <= 0) { // a resumed file with rows has the header the first one wrote
                            csv.writeRecord(columns);
                        }
                    } else if (!columns.equals(row.columns())) {
                        throw new IllegalArgumentException("the row's columns " + row.columns()
                                + " differ from the file's header " + columns);
                    }
                    csv.writeRecord(row.values());
                }

                @Override
                public void finish() throws IOException {
                    csv.flush();
                }
            };
        }));
    }

    /**
     * Each item as one line of JSON, written by a default Jackson {@link ObjectMapper}.
     *
     * @param file the file to write
     * @param <T>  the type of the items
     * @return the sink
     */
    public static <T> FileSink<T> jsonLines(Path file) {
        return jsonLines(file, new ObjectMapper().findAndRegisterModules());
    }

    /**
     * Each item as one line of JSON, written by the given {@link ObjectMapper} (its settings apply, but
     * never indentation, which would break the lines).
     *
     * @param file   the file to write
     * @param mapper the mapper; not changed
     * @param <T>    the type of the items
     * @return the sink
     */
    public static <T> FileSink<T> jsonLines(Path file, ObjectMapper mapper) {
        ObjectWriter writer = mapper.writer()
                .without(SerializationFeature.INDENT_OUTPUT)
                .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                .without(SerializationFeature.CLOSE_CLOSEABLE);
        return of(file, new Kind<T>("JSON lines", (output, charset, recordsBefore) -> {
            JsonGenerator json = writer.createGenerator(output.writer(charset));
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.setRootValueSeparator(null); // no space between values: each ends with its own \n
            return new RecordWriter<T>() {
                @Override
                public void write(T item) throws IOException {
                    writer.writeValue(json, item);
                    json.writeRaw('\n');
                }

                @Override
                public void finish() throws IOException {
                    json.flush();
                }
            };
        }));
    }

    /**
     * Returns a copy that compresses the file with gzip, or not, whatever its name.
     *
     * @param gzip whether to compress
     * @return the copy
     */
    public FileSink<T> withGzip(boolean gzip) {
        return new FileSink<>(file, kind, gzip, charset);
    }

    /**
     * Returns a copy that writes text in another charset (UTF-8 by default).
     *
     * @param charset the charset
     * @return the copy
     */
    public FileSink<T> withCharset(Charset charset) {
        return new FileSink<>(file, kind, gzip, Objects.requireNonNull(charset, "charset"));
    }

    /**
     * Returns the file written.
     *
     * @return the absolute path
     */
    public Path file() {
        return file;
    }

    @Override
    public CheckpointableWriter<T, Long> open() throws IOException {
        return writer(AtomicFileOutput.open(file, gzip), -1);
    }

    /**
     * Opens a writer that goes on from a checkpoint: the file written aside, cut back to the length the
     * checkpoint made durable (a gzip file goes on with a new gzip member; a CSV file keeps its header).
     *
     * @param checkpoint a state from {@link CheckpointableWriter#checkpoint()} of a writer of this sink
     * @return the writer
     * @throws IOException if the partial file is gone or shorter than the checkpoint says
     */
    @Override
    public CheckpointableWriter<T, Long> resume(Map<String, String> checkpoint) throws IOException {
        FileCheckpoint at = FileCheckpoint.of(checkpoint);
        return writer(AtomicFileOutput.resume(file, at.partial(), at.length(), gzip), at.records());
    }

    /** A writer over the output; {@code recordsBefore} is -1 for a new file, else the records a resumed one has. */
    private CheckpointableWriter<T, Long> writer(AtomicFileOutput output, long recordsBefore) throws IOException {
        RecordWriter<T> records;
        try {
            records = kind.writers.open(output, charset, recordsBefore);
        } catch (IOException | RuntimeException e) {
            endFailed(output);
            throw e;
        }
        return new CheckpointableWriter<>() {
            private long written = Math.max(0, recordsBefore);

            @Override
            public void accept(T item) throws IOException {
                records.write(item);
                written++;
            }

            @Override
            public Map<String, String> checkpoint() throws IOException {
                records.finish();
                return new FileCheckpoint(output.partial(), output.checkpoint(), written).toMap();
            }

            @Override
            public void suspend(Throwable cause) {
                output.suspend();
            }

            @Override
            public Long complete() throws IOException {
                try {
                    records.finish();
                } catch (IOException | RuntimeException e) {
                    endFailed(output);
                    throw e;
                }
                output.commit();
                return written;
            }

            @Override
            public void abort(Throwable cause) {
                output.abort();
            }
        };
    }

    @Override
    public String description() {
        return kind.name + " to " + file + (gzip ? " (gzip)" : "") + ", written aside and moved into place on success";
    }

    /** Ends an output that failed: kept when a checkpoint may refer to it, deleted otherwise. */
    private static void endFailed(AtomicFileOutput output) {
        if (output.hasCheckpoint()) {
            output.suspend();
        } else {
            output.abort();
        }
    }

    private static CsvWriter csvWriter(Writer out) {
        return CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(out);
    }

    private static List<String> texts(List<?> values) {
        List<String> texts = new ArrayList<>(values.size());
        for (Object value : values) {
            texts.add(value == null ? "" : value.toString());
        }
        return texts;
    }

    /** Writes one item of a run to the file. */
    private interface RecordWriter<T> {
        void write(T item) throws IOException;

        /** Flushes what the format buffers, before the file is committed or checkpointed. */
        default void finish() throws IOException {
        }
    }

    /**
     * Makes the record writer of a run over the open output: a new file ({@code recordsBefore} -1) or one
     * resumed from a checkpoint with that many records in it.
     */
    private interface RecordWriters<T> {
        RecordWriter<T> open(AtomicFileOutput output, Charset charset, long recordsBefore) throws IOException;
    }

    private record Kind<T>(String name, RecordWriters<T> writers) {
    }
}
