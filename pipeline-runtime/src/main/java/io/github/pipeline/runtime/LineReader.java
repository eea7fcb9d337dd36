package io.github.pipeline.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 lines from a worker process's output, keeping at most {@code maxLength} characters of
 * each: the rest of a longer line is read and passed over, so one endless line cannot fill the heap.
 * Lines end at {@code \n}, with an optional {@code \r} before it. Invalid UTF-8 becomes U+FFFD.
 */
final class LineReader {

    /** One line, cut to the limit when {@code truncated}. */
    record Line(String text, boolean truncated) {
    }

    private final Reader in;
    private final int maxLength;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private final StringBuilder line = new StringBuilder();

    LineReader(InputStream in, int maxLength) {
        this.in = new InputStreamReader(in, StandardCharsets.UTF_8);
        this.maxLength = maxLength;
    }

    /**
     * Reads the next line.
     *
     * @return the line, or {@code null} at the end of the stream (a last line without a line break is
     *         still returned)
     */
    Line next() throws IOException {
        line.setLength(0);
        boolean truncated = false;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit < 0) {
                    limit = 0;
                    return any ? finish(truncated) : null;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int room = maxLength - line.length();
            int count = position - start;
            if (count > room) {
                truncated = true;
                count = Math.max(0, room);
            }
            line.append(buffer, start, count);
            if (position < limit) {
                position++; // the '\n'
                return finish(truncated);
            }
        }
    }

    private Line finish(boolean truncated) {
        int end = line.length();
        if (!truncated && end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        return new Line(line.substring(0, end), truncated);
    }
}
