package io.github.pipeline.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.CheckpointableReader;
import io.github.pipeline.api.PositionedReader;
import io.github.pipeline.api.ResumableSource;
import io.github.pipeline.api.PullSource;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The records of a file, or of the files of a directory read one after another: text lines, CSV rows
 * or JSON lines, gzip-compressed or not. Immutable: refine it with the {@code withX} methods.
 *
 * <pre>{@code
 * FileSource<CsvRow> rows = FileSource.csv(Path.of("trades.csv.gz"))        // gzip: by name or magic bytes
 *         .withMaxRecordLength(64 * 1024)                                    // a longer record is an error
 *         .withErrorPolicy(ErrorPolicy.deadLetter(Sink.lines(Path.of("bad-rows.txt"))));
 * FileSource<String> logs = FileSource.lines(Path.of("logs")).withGlob("*.log.gz");
 * FileSource<Trade> trades = FileSource.jsonLines(Path.of("trades.jsonl"), Trade.class);
 * }</pre>
 *
 * <p><b>Memory</b>: records are read through a buffer of at most the maximum record length (1 MiB by
 * default) plus two bytes; a longer record is skipped and reported, never held. <b>Errors</b>: a
 * malformed record (bad CSV row, invalid JSON, bytes invalid in the charset, a record over the length
 * limit, a truncated or corrupt gzip file) is a {@link io.github.pipeline.api.MalformedRecordException}
 * naming the file, the line and the record, handled by the source's {@link #withErrorPolicy error policy}:
 * fail the run (the default), skip it or dead-letter it; either way the run's {@code <source>} accounting
 * counts it. A file that cannot be opened or read, or a CSV header that cannot be read, fails the run.
 * <b>Progress</b>: the reader counts bytes read of bytes in all (compressed bytes for gzip), so
 * {@link io.github.pipeline.api.Progress#fractionRead()} shows the share done, and it knows each item's
 * {@link io.github.pipeline.api.SourcePosition} (file, line, byte offset). <b>Checkpoints</b>: a source
 * that reads its files one after another can resume after a checkpoint (see
 * {@link io.github.pipeline.api.Checkpoints}): at the byte offset after the last record fully processed,
 * found again by seeking (by reading on, for gzip). See {@code docs/files.md}.
 *
 * @param <T> the type of the items
 */
public final class FileSource<T> implements ResumableSource<T> {

    /** The default maximum length of a record, in bytes: 1 MiB. */
    public static final int DEFAULT_MAX_RECORD_LENGTH = 1 << 20;

    /** The longest maximum record length allowed, in bytes: 1 GiB. */
    public static final int MAX_RECORD_LENGTH_LIMIT = 1 << 30;

    private final Path path;
    private final String glob;
    private final RecordFormat<T> format;
    private final Charset charset;
    private final int maxRecordLength;
    private final MalformedInput malformedInput;
    private final Compression compression;
    private final ErrorPolicy errorPolicy;
    private final int concurrentFiles;

    private FileSource(Path path, String glob, RecordFormat<T> format, Charset charset, int maxRecordLength,
                       MalformedInput malformedInput, Compression compression, ErrorPolicy errorPolicy,
                       int concurrentFiles) {
        this.path = path;
        this.glob = glob;
        this.format = format;
        this.charset = charset;
        this.maxRecordLength = maxRecordLength;
        this.malformedInput = malformedInput;
        this.compression = compression;
        this.errorPolicy = errorPolicy;
        this.concurrentFiles = concurrentFiles;
    }

    private static <T> FileSource<T> of(Path path, RecordFormat<T> format) {
        Objects.requireNonNull(path, "path");
        return new FileSource<>(path, "*", format, StandardCharsets.UTF_8, DEFAULT_MAX_RECORD_LENGTH,
                MalformedInput.FAIL, Compression.AUTO, ErrorPolicy.failFast(), 1);
    }

    /**
     * The lines of a text file (or of the files of a directory), without their line ends: a line ends
     * with {@code \n}, and a {@code \r} before it is removed. Empty lines are items too.
     *
     * @param path a file, or a directory whose files (see {@link #withGlob}) are read one after another
     * @return the source, UTF-8 by default
     */
    public static FileSource<String> lines(Path path) {
        return of(path, TextLines.INSTANCE);
    }

    /**
     * The rows of a CSV file with a header (RFC 4180: commas, double quotes), by column name. Each file
     * of a directory has its own header. Empty lines are passed over.
     *
     * @param path a file or a directory
     * @return the source of rows
     */
    public static FileSource<CsvRow> csv(Path path) {
        return csv(path, CsvFormat.standard());
    }

    /**
     * The rows of a CSV file with a header, in the given dialect.
     *
     * @param path   a file or a directory
     * @param format the separator and quote
     * @return the source of rows
     */
    public static FileSource<CsvRow> csv(Path path, CsvFormat format) {
        Objects.requireNonNull(format, "format");
        return of(path, new CsvRecords<>(format, "rows", Function.identity()));
    }

    /**
     * The rows of a CSV file with a header, each mapped to a record or class by Jackson: a column sets
     * the property of its name, its text converted to the property's type (numbers, booleans, enums...);
     * columns the class lacks are ignored. A row that does not map is a malformed record.
     *
     * @param path a file or a directory
     * @param type the record or class
     * @param <T>  the type of the items
     * @return the source of mapped rows
     */
    public static <T> FileSource<T> csv(Path path, Class<T> type) {
        return csv(path, CsvFormat.standard(), type);
    }

    /**
     * The rows of a CSV file with a header in the given dialect, each mapped to a record or class by
     * Jackson, as {@link #csv(Path, Class)} does.
     *
     * @param path   a file or a directory
     * @param format the separator and quote
     * @param type   the record or class
     * @param <T>    the type of the items
     * @return the source of mapped rows
     */
    public static <T> FileSource<T> csv(Path path, CsvFormat format, Class<T> type) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(type, "type");
        return of(path, new CsvRecords<>(format, "rows as " + type.getSimpleName(),
                new CsvToClass<>(new ObjectMapper().findAndRegisterModules(), type)));
    }

    /**
     * JSON lines as Jackson trees: one JSON value per line; blank lines are passed over.
     *
     * @param path a file or a directory
     * @return the source of trees
     */
    public static FileSource<JsonNode> jsonLines(Path path) {
        return jsonLines(path, JsonNode.class, new ObjectMapper());
    }

    /**
     * JSON lines, each read into a record or class by a default Jackson {@link ObjectMapper}.
     *
     * @param path a file or a directory
     * @param type the record or class
     * @param <T>  the type of the items
     * @return the source of values
     */
    public static <T> FileSource<T> jsonLines(Path path, Class<T> type) {
        return jsonLines(path, type, new ObjectMapper().findAndRegisterModules());
    }

    /**
     * JSON lines, each read into a record or class by the given {@link ObjectMapper} (its modules and
     * settings apply; more than one value on a line is always malformed).
     *
     * @param path   a file or a directory
     * @param type   the record or class
     * @param mapper the mapper; not changed
     * @param <T>    the type of the items
     * @return the source of values
     */
    public static <T> FileSource<T> jsonLines(Path path, Class<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mapper, "mapper");
        return of(path, new JsonLines<>(mapper, type));
    }

    /**
     * Returns a copy that reads its files in another charset. The charset must write {@code \n} (and,
     * for CSV, the quote and separator) as single ASCII bytes, as UTF-8 and the ISO-8859 family do;
     * UTF-16 and UTF-32 are not supported.
     *
     * @param charset the files' charset
     * @return the copy
     * @throws IllegalArgumentException if the charset does not write those characters as ASCII bytes
     */
    public FileSource<T> withCharset(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        for (char c : format.framingCharacters().toCharArray()) {
            byte[] encoded = String.valueOf(c).getBytes(charset);
            if (encoded.length != 1 || encoded[0] != (byte) c) {
                throw new IllegalArgumentException("charset " + charset.name() + " does not write "
                        + (c == '\n' ? "\\n" : c == '\r' ? "\\r" : "'" + c + "'") + " as one ASCII byte "
                        + Arrays.toString(encoded) + ": records are cut at byte level");
            }
        }
        return new FileSource<>(path, glob, format, charset, maxRecordLength, malformedInput, compression, errorPolicy,
                concurrentFiles);
    }

    /**
     * Returns a copy with another maximum record length, in bytes (without the line end). A longer record
     * is skipped and reported as malformed; it is never held in memory.
     *
     * @param bytes from 1 to {@value #MAX_RECORD_LENGTH_LIMIT}
     * @return the copy
     * @throws IllegalArgumentException if {@code bytes} is out of range
     */
    public FileSource<T> withMaxRecordLength(int bytes) {
        if (bytes < 1 || bytes > MAX_RECORD_LENGTH_LIMIT) {
            throw new IllegalArgumentException("maximum record length must be from 1 to " + MAX_RECORD_LENGTH_LIMIT
                    + " bytes, got " + bytes);
        }
        return new FileSource<>(path, glob, format, charset, bytes, malformedInput, compression, errorPolicy,
                concurrentFiles);
    }

    /**
     * Returns a copy that treats bytes invalid in the charset as asked: {@link MalformedInput#FAIL} (the
     * default) makes the record malformed, {@link MalformedInput#REPLACE} puts U+FFFD in their place.
     *
     * @param malformedInput what to do
     * @return the copy
     */
    public FileSource<T> withMalformedInput(MalformedInput malformedInput) {
        Objects.requireNonNull(malformedInput, "malformedInput");
        return new FileSource<>(path, glob, format, charset, maxRecordLength, malformedInput, compression, errorPolicy,
                concurrentFiles);
    }

    /**
     * Returns a copy that reads its files as compressed or not; the default, {@link Compression#AUTO},
     * recognises gzip by the {@code .gz} name or the magic bytes.
     *
     * @param compression the compression
     * @return the copy
     */
    public FileSource<T> withCompression(Compression compression) {
        Objects.requireNonNull(compression, "compression");
        return new FileSource<>(path, glob, format, charset, maxRecordLength, malformedInput, compression, errorPolicy,
                concurrentFiles);
    }

    /**
     * Returns a copy with another policy for malformed records: {@link ErrorPolicy#failFast()} (the
     * default) fails the run naming the file, line and record; {@link ErrorPolicy#skip()} counts it as
     * skipped under {@code <source>}; {@link ErrorPolicy#deadLetter} sends the record's text and the
     * error to a sink. Retries do not apply to records.
     *
     * @param policy fail, skip or dead-letter, without retries
     * @return the copy
     * @throws IllegalArgumentException if the policy retries
     */
    public FileSource<T> withErrorPolicy(ErrorPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (policy.retry().isPresent()) {
            throw new IllegalArgumentException("a malformed record reads the same every time: a file source's error "
                    + "policy cannot retry, got " + policy.describe());
        }
        return new FileSource<>(path, glob, format, charset, maxRecordLength, malformedInput, compression, policy,
                concurrentFiles);
    }

    /**
     * Returns a copy that, when its path is a directory, reads the files whose path relative to it
     * matches the glob (see {@link java.nio.file.FileSystem#getPathMatcher}), in path order; hidden
     * files are left out. A glob with '/' or {@code **} looks into subdirectories. The default is
     * {@code *}: every file directly in the directory.
     *
     * @param glob for example {@code "*.csv.gz"} or {@code "**}{@code /*.log"}
     * @return the copy
     */
    public FileSource<T> withGlob(String glob) {
        Objects.requireNonNull(glob, "glob");
        if (glob.isBlank()) {
            throw new IllegalArgumentException("glob must not be blank");
        }
        return new FileSource<>(path, glob, format, charset, maxRecordLength, malformedInput, compression, errorPolicy,
                concurrentFiles);
    }

    /**
     * Returns a copy that reads up to {@code files} files of a directory at once, each on a thread of
     * its own (the default, 1, reads them one after another on the run's source thread). Parsing CSV
     * and JSON costs more than reading, so this spreads it over cores. Records of one file keep their
     * order; records of different files interleave. The threads put their records on one queue of
     * {@value ConcurrentFilesReader#QUEUE_PER_THREAD} per thread, which bounds memory, and stop when
     * the run ends.
     *
     * @param files how many files at once, at least 1
     * @return the copy
     * @throws IllegalArgumentException if {@code files} is less than 1
     */
    public FileSource<T> withConcurrentFiles(int files) {
        if (files < 1) {
            throw new IllegalArgumentException("concurrent files must be at least 1, got " + files);
        }
        return new FileSource<>(path, glob, format, charset, maxRecordLength, malformedInput, compression, errorPolicy,
                files);
    }

    /**
     * Returns the file or directory read.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * Returns the charset of the files.
     *
     * @return the charset
     */
    public Charset charset() {
        return charset;
    }

    /**
     * Returns the maximum record length, in bytes.
     *
     * @return the maximum
     */
    public int maxRecordLength() {
        return maxRecordLength;
    }

    /**
     * Returns the policy for malformed records.
     *
     * @return the policy
     */
    public ErrorPolicy errorPolicy() {
        return errorPolicy;
    }

    /**
     * Lists the files, adds up their sizes and returns a reader over them, positioned at the first record.
     *
     * @return a {@link PositionedReader} over the files
     * @throws IOException if the path does not exist or cannot be listed
     */
    @Override
    public PositionedReader<T> open() throws IOException {
        return open(null);
    }

    /**
     * Opens a reader that goes on after the records a checkpoint covers: at the file, line and byte
     * offset where the first record not yet fully processed starts.
     *
     * @param checkpoint a state from {@link CheckpointableReader#checkpoint()} of a reader of this source
     * @return the reader
     * @throws IOException if the files changed since the checkpoint (another file at its place in the
     *                     list, or one shorter than the offset), or cannot be read
     * @throws IllegalStateException if this source reads several files at once, which cannot resume
     */
    @Override
    public CheckpointableReader<T> resume(Map<String, String> checkpoint) throws IOException {
        Objects.requireNonNull(checkpoint, "checkpoint");
        return (CheckpointableReader<T>) open(checkpoint);
    }

    private PositionedReader<T> open(Map<String, String> checkpoint) throws IOException {
        List<Path> files = FileList.resolve(path, glob);
        Map<Path, Long> sizes = new HashMap<>();
        long total = 0;
        for (Path file : files) {
            long size = Files.size(file);
            sizes.put(file, size);
            total += size;
        }
        if (concurrentFiles > 1 && files.size() > 1) {
            if (checkpoint != null) {
                throw new IllegalStateException("a FileSource that reads " + concurrentFiles
                        + " files at once cannot resume from a checkpoint: read them one after another");
            }
            return new ConcurrentFilesReader<>(files, total, concurrentFiles, file -> new FileRecordReader<>(
                    List.of(file), sizes.get(file), format, compression, maxRecordLength, charset, malformedInput));
        }
        FileRecordReader<T> reader = new FileRecordReader<>(files, total, format, compression, maxRecordLength,
                charset, malformedInput);
        if (checkpoint != null) {
            try {
                reader.resumeAt(ReadPosition.of(checkpoint));
            } catch (IOException | RuntimeException e) {
                reader.close();
                throw e;
            }
        }
        return reader;
    }

    @Override
    public Optional<ErrorPolicy> malformedRecordPolicy() {
        return Optional.of(errorPolicy);
    }

    /**
     * A regular file, or a directory of them, is read as fast as the disk and the decoder allow (with
     * several files at once, the reader waits only for the threads reading them); a pipe or a device
     * may wait for its data.
     */
    @Override
    public boolean readsWithoutWaiting() {
        return Files.isRegularFile(path) || Files.isDirectory(path);
    }

    @Override
    public String description() {
        String where = Files.isDirectory(path) ? path + "/" + glob : path.toString();
        return format.describe() + " of " + where + " (" + charset.name() + ", max record " + maxRecordLength
                + " bytes, " + (compression == Compression.AUTO ? "gzip auto" : compression.name().toLowerCase())
                + (malformedInput == MalformedInput.REPLACE ? ", invalid bytes replaced" : "")
                + (concurrentFiles > 1 ? ", " + concurrentFiles + " files at once" : "")
                + ", malformed records: " + errorPolicy.describe() + ")";
    }

    @Override
    public String toString() {
        return description();
    }
}
