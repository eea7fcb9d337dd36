package io.github.pipeline.runtime;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The last lines a worker process wrote to its standard error, each cut to {@value #MAX_LINE} characters:
 * what a failure shows of it. Its memory is bounded by the number of lines kept.
 */
final class StderrTail {

    /** The longest line kept, in characters. */
    static final int MAX_LINE = 500;

    private final int lines;
    private final ArrayDeque<String> tail;

    StderrTail(int lines) {
        this.lines = lines;
        this.tail = new ArrayDeque<>(Math.max(1, lines));
    }

    synchronized void add(LineReader.Line line) {
        if (lines == 0) {
            return;
        }
        if (tail.size() == lines) {
            tail.removeFirst();
        }
        tail.addLast(line.truncated() ? line.text() + "..." : line.text());
    }

    synchronized List<String> lines() {
        return List.copyOf(tail);
    }
}
