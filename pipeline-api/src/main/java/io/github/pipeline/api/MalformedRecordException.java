package io.github.pipeline.api;

import java.util.Objects;

/**
 * One record of a source's input could not be read: a CSV row with the wrong number of columns or bad
 * quoting, a line that is not valid JSON, bytes that are not valid in the charset, a line longer than
 * the limit, a truncated gzip file. The message names the file, the line and (abbreviated) the record.
 *
 * <p>A {@link SourceReader} throws it for a bad record and can then go on reading the records after it.
 * The engine hands it to the source's {@link PullSource#malformedRecordPolicy() policy}: fail the run
 * (the default), skip the record, or dead-letter it; skipped and dead-lettered records are counted in
 * the run's {@code <source>} accounting. Any other exception from a reader fails the run.
 */
public class MalformedRecordException extends PipelineException {

    private final String source;
    private final long line;
    private final long offset;
    private final String record;
    private final String reason;

    /**
     * Creates the exception for one bad record.
     *
     * @param source where the record is, usually a file's path
     * @param line   the 1-based line where the record starts
     * @param offset the byte offset where the record starts in the (uncompressed) content, or -1 if unknown
     * @param record the record's text as far as it was read (may be cut, never {@code null})
     * @param reason what is wrong with it
     * @param cause  the parser's exception, may be {@code null}
     */
    public MalformedRecordException(String source, long line, long offset, String record, String reason,
                                    Throwable cause) {
        super(message(source, line, record, reason), cause);
        this.source = source; // checked by message(), which runs first
        this.line = line;
        this.offset = offset;
        this.record = record;
        this.reason = reason;
    }

    private static String message(String source, long line, String record, String reason) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(reason, "reason");
        String text = source + " line " + line + ": " + reason;
        return record.isEmpty() ? text : text + ": " + Items.abbreviate(record);
    }

    /**
     * Returns where the record is, usually a file's path.
     *
     * @return the source's name
     */
    public String source() {
        return source;
    }

    /**
     * Returns the 1-based line where the record starts.
     *
     * @return the line number
     */
    public long line() {
        return line;
    }

    /**
     * Returns the byte offset where the record starts in the (uncompressed) content.
     *
     * @return the offset, or -1 if unknown
     */
    public long offset() {
        return offset;
    }

    /**
     * Returns the record's text as far as it was read: the whole record for a parse error, the start of
     * it for a line over the length limit. This is what a dead-letter sink receives as the item.
     *
     * @return the record's text, possibly empty
     */
    public String record() {
        return record;
    }

    /**
     * Returns what is wrong with the record, without the file, line and excerpt.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }
}
