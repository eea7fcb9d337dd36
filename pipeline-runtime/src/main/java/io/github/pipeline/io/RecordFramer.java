package io.github.pipeline.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Cuts a file's bytes into records, with a bounded buffer: a text line (up to {@code '\n'}, a
 * {@code '\r'} before it removed), or a CSV record, which goes on past line ends inside quotes. Knows
 * where each record starts (line and byte offset of the content), so positions and error messages are
 * exact. Parsing the record is for others: for CSV, only the quote state is followed here (a quote opens
 * a quoted field at the start of a field, and a doubled quote inside one stands for a quote, as RFC 4180
 * and FastCSV have it), so that FastCSV gets exactly one record at a time.
 *
 * <p>Memory: the buffer grows to at most the maximum record length plus two bytes. A longer record is
 * never held: it is skipped up to the end of its (last) line and reported as a {@link FrameException},
 * after which framing goes on with the next line.
 */
final class RecordFramer {

    /** How many bytes of a bad record an error keeps, to show its start. */
    static final int EXCERPT_BYTES = 200;
    private static final int INITIAL_BUFFER = 64 * 1024;
    private static final int MIN_READ = 8 * 1024;

    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int AFTER_QUOTE = 3;

    private final InputStream in;
    private final boolean gzip;
    private final int maxLength;
    private final boolean csv;
    private final byte quote;
    private final byte separator;
    private final boolean skipBom;

    private byte[] buf;
    /** First byte of the record being framed. */
    private int start;
    /** Next byte to look at. */
    private int scan;
    /** End of the bytes read. */
    private int limit;
    /** Offset in the content of {@code buf[0]}. */
    private long bufOffset;
    /** Line where the record at {@code start} begins. */
    private long line = 1;
    private boolean eof;
    private boolean ended;
    private boolean started;

    /** CSV: quote state, line ends inside quotes, and carriage returns outside quotes, of the record so far. */
    private int state;
    private int newlines;
    private int bareCrs;

    private int recordStart;
    private int recordLength;
    private long recordLine;
    private long recordOffset;

    private RecordFramer(InputStream in, boolean gzip, int maxLength, boolean csv, byte quote, byte separator,
                         boolean skipBom) {
        this.in = in;
        this.gzip = gzip;
        this.maxLength = maxLength;
        this.csv = csv;
        this.quote = quote;
        this.separator = separator;
        this.skipBom = skipBom;
        this.buf = new byte[(int) Math.min(INITIAL_BUFFER, (long) maxLength + 2)];
    }

    /** Frames text lines. */
    static RecordFramer lines(InputStream in, boolean gzip, int maxLength, boolean skipBom) {
        return new RecordFramer(in, gzip, maxLength, false, (byte) 0, (byte) 0, skipBom);
    }

    /** Frames CSV records with the given (ASCII) quote and separator. */
    static RecordFramer csv(InputStream in, boolean gzip, int maxLength, char quote, char separator, boolean skipBom) {
        return new RecordFramer(in, gzip, maxLength, true, (byte) quote, (byte) separator, skipBom);
    }

    /**
     * Frames the next record.
     *
     * @return {@code true} if there is one (see {@link #bytes()}), {@code false} at the end of the content
     * @throws FrameException for a record that cannot be framed; framing can go on after it
     * @throws IOException    if the file cannot be read
     */
    boolean next() throws IOException, FrameException {
        if (ended) {
            return false;
        }
        if (!started) {
            started = true;
            skipByteOrderMark();
        }
        state = FIELD_START;
        newlines = 0;
        bareCrs = 0;
        scan = start;
        while (true) {
            int end = csv ? scanCsv() : scanLine();
            if (end >= 0) {
                return frame(end);
            }
            if (limit - start > (long) maxLength + 1) {
                skipTooLong();
            }
            if (!fill()) {
                return frameLast();
            }
        }
    }

    /**
     * Frames content that starts at byte {@code offset} of a file's content, on line {@code line}: the
     * rest of a file read from a checkpoint. Call before the first {@link #next()}.
     */
    void startAt(long line, long offset) {
        this.line = line;
        this.bufOffset = offset;
        this.started = offset > 0 || started; // a byte order mark is only ever at offset 0
    }

    /** The byte offset of the content where the next record starts (the end of the content after the last). */
    long nextOffset() {
        return bufOffset + start;
    }

    /** The line where the next record starts. */
    long nextLine() {
        return line;
    }

    /** The bytes of the record framed last: valid until the next call of {@link #next()}. */
    byte[] bytes() {
        return buf;
    }

    int recordStart() {
        return recordStart;
    }

    int recordLength() {
        return recordLength;
    }

    long recordLine() {
        return recordLine;
    }

    long recordOffset() {
        return recordOffset;
    }

    private int scanLine() {
        byte[] b = buf;
        for (int i = scan, n = limit; i < n; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        scan = limit;
        return -1;
    }

    private int scanCsv() {
        byte[] b = buf;
        int s = state;
        for (int i = scan, n = limit; i < n; i++) {
            byte c = b[i];
            switch (s) {
                case QUOTED -> {
                    if (c == quote) {
                        s = AFTER_QUOTE;
                    } else if (c == '\n') {
                        newlines++;
                    }
                }
                case UNQUOTED -> {
                    if (c == separator) {
                        s = FIELD_START;
                    } else if (c == '\n') {
                        state = s;
                        return i;
                    } else if (c == '\r') {
                        bareCrs++;
                    }
                }
                default -> { // FIELD_START or AFTER_QUOTE
                    if (c == quote) {
                        s = QUOTED; // opens a field, or (after a quote) an escaped quote goes on with it
                    } else if (c == separator) {
                        s = FIELD_START;
                    } else if (c == '\n') {
                        state = s;
                        return i;
                    } else if (c == '\r') {
                        bareCrs++;
                    } else {
                        s = UNQUOTED; // after a closing quote FastCSV rejects this: the record still ends at '\n'
                    }
                }
            }
        }
        state = s;
        scan = limit;
        return -1;
    }

    /** Frames the record ending with the {@code '\n'} at {@code end}. */
    private boolean frame(int end) throws FrameException {
        int contentEnd = end > start && buf[end - 1] == '\r' ? end - 1 : end;
        if (csv && contentEnd < end) {
            bareCrs--; // the '\r' of a "\r\n" line end was counted as bare
        }
        recordStart = start;
        recordLength = contentEnd - start;
        recordLine = line;
        recordOffset = bufOffset + start;
        line += 1 + newlines;
        start = end + 1;
        scan = start;
        if (recordLength > maxLength) {
            throw tooLong(recordLine, recordOffset, recordStart, recordLength, recordLength);
        }
        if (bareCrs > 0) {
            throw new FrameException(recordLine, recordOffset, excerpt(recordStart, recordLength),
                    "a carriage return outside quotes: lines must end with \\n or \\r\\n");
        }
        return true;
    }

    /** Frames what is left at the end of the content, which has no {@code '\n'} after it. */
    private boolean frameLast() throws FrameException {
        ended = true;
        if (start >= limit) {
            return false;
        }
        int end = limit;
        recordStart = start;
        recordLength = end - start;
        recordLine = line;
        recordOffset = bufOffset + start;
        start = limit;
        if (csv && state == QUOTED) {
            throw new FrameException(recordLine, recordOffset, excerpt(recordStart, recordLength),
                    "a quoted field is not closed at the end of the file");
        }
        if (buf[end - 1] == '\r') {
            recordLength--;
            bareCrs--;
        }
        if (recordLength > maxLength) {
            throw tooLong(recordLine, recordOffset, recordStart, recordLength, recordLength);
        }
        if (csv && bareCrs > 0) {
            throw new FrameException(recordLine, recordOffset, excerpt(recordStart, recordLength),
                    "a carriage return outside quotes: lines must end with \\n or \\r\\n");
        }
        return true;
    }

    /** Skips a record longer than the maximum, to the end of its last line, then reports it. */
    private void skipTooLong() throws IOException, FrameException {
        long firstLine = line;
        long offset = bufOffset + start;
        byte[] excerpt = excerpt(start, limit - start);
        boolean inQuotes = csv && state == QUOTED;
        long length = limit - start;
        long lines = newlines;
        start = limit;
        scan = limit;
        while (true) {
            int end = scanLine();
            if (end >= 0) {
                length += end - start;
                if (end > start && buf[end - 1] == '\r') {
                    length--;
                }
                start = end + 1;
                scan = start;
                break;
            }
            length += limit - start;
            start = limit;
            if (!fill()) {
                ended = true;
                break;
            }
        }
        line += lines + 1;
        throw inQuotes
                ? new FrameException(firstLine, offset, excerpt, "the record is longer than the maximum of "
                        + maxLength + " bytes (is a quote left open?)")
                : tooLong(firstLine, offset, excerpt, length);
    }

    private FrameException tooLong(long atLine, long offset, int from, int length, long fullLength) {
        return tooLong(atLine, offset, excerpt(from, length), fullLength);
    }

    private FrameException tooLong(long atLine, long offset, byte[] excerpt, long length) {
        return new FrameException(atLine, offset, excerpt, (csv ? "the record" : "the line") + " is " + length
                + " bytes long, more than the maximum of " + maxLength);
    }

    private byte[] excerpt(int from, int length) {
        return Arrays.copyOfRange(buf, from, from + Math.min(length, EXCERPT_BYTES));
    }

    /** Reads more bytes; {@code false} at the end of the content. */
    private boolean fill() throws IOException, FrameException {
        if (eof) {
            return false;
        }
        if (start > 0 && buf.length - limit < MIN_READ) {
            System.arraycopy(buf, start, buf, 0, limit - start);
            bufOffset += start;
            scan -= start;
            limit -= start;
            start = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, (long) maxLength + 2));
        }
        int n;
        try {
            n = in.read(buf, limit, buf.length - limit);
        } catch (EOFException | ZipException e) {
            if (!gzip) {
                throw e;
            }
            ended = true;
            long atLine = line;
            long offset = bufOffset + start;
            byte[] excerpt = excerpt(start, limit - start);
            start = limit;
            throw new FrameException(atLine, offset, excerpt, e instanceof EOFException
                    ? "the gzip file is truncated: its data ends early, so the records from here on are lost"
                    : "the gzip data is corrupt (" + e.getMessage() + "), so the records from here on are lost");
        }
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    /** Skips a UTF-8 byte order mark at the start of the content. */
    private void skipByteOrderMark() throws IOException, FrameException {
        if (!skipBom) {
            return;
        }
        while (limit < 3 && fill()) {
            // read at least three bytes, or all there are
        }
        if (limit >= 3 && (buf[0] & 0xff) == 0xef && (buf[1] & 0xff) == 0xbb && (buf[2] & 0xff) == 0xbf) {
            start = 3;
            scan = 3;
        }
    }

    /** A record that could not be framed; the framer has moved past it. */
    static final class FrameException extends Exception {
        final long line;
        final long offset;
        final transient byte[] excerpt;

        FrameException(long line, long offset, byte[] excerpt, String reason) {
            super(reason, null, false, false);
            this.line = line;
            this.offset = offset;
            this.excerpt = excerpt;
        }
    }
}
