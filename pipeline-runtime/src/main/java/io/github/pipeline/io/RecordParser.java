package io.github.pipeline.io;

/**
 * Turns the text of one framed record into an item. One per run: it may keep state across records (a
 * CSV file's header).
 *
 * @param <T> the type of the items
 */
interface RecordParser<T> {

    /** A new file starts; for CSV its first record is its header. */
    default void startFile() {
    }

    /** Whether the next record of the file is read for a header (CSV, at the start of a file). */
    default boolean needsHeader() {
        return false;
    }

    /**
     * Parses one record.
     *
     * @param text the record's text, without its line end
     * @param line the line where it starts, for the items that carry it
     * @return the item, or {@code null} if the record holds none (a header, a blank line)
     * @throws BadRecordException if the record is malformed; the next record can still be parsed
     * @throws InvalidFileException if the file cannot be read on (a bad CSV header)
     */
    T parse(String text, long line) throws BadRecordException, InvalidFileException;

    /** One record is malformed: the reason, without the file, line or text, which the reader adds. */
    final class BadRecordException extends Exception {
        BadRecordException(String reason, Throwable cause) {
            super(reason, cause, false, false);
        }
    }
}
