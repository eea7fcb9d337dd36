package io.github.pipeline.io;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Where a {@link FileRecordReader} stands between records, as a checkpoint keeps it: the file (its place
 * in the list, its path, and its size and last-modified time, to notice a file rewritten since; -1 when
 * the position is the start of a file not opened yet) and the line and byte offset of the content where
 * the next record starts.
 */
record ReadPosition(int fileIndex, String file, long line, long offset, long size, long modifiedMillis) {

    private static final String FILE_INDEX = "file.index";
    private static final String FILE = "file";
    private static final String LINE = "line";
    private static final String OFFSET = "offset";
    private static final String SIZE = "file.size";
    private static final String MODIFIED = "file.modified";

    ReadPosition {
        if (fileIndex < 0 || line < 1 || offset < 0) {
            throw new IllegalArgumentException("not a read position: file #" + fileIndex + ", line " + line
                    + ", offset " + offset);
        }
    }

    static ReadPosition of(Map<String, String> state) {
        try {
            return new ReadPosition(Integer.parseInt(required(state, FILE_INDEX)), required(state, FILE),
                    Long.parseLong(required(state, LINE)), Long.parseLong(required(state, OFFSET)),
                    Long.parseLong(state.getOrDefault(SIZE, "-1")), Long.parseLong(state.getOrDefault(MODIFIED, "-1")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the file source's checkpoint has a bad number: " + state, e);
        }
    }

    Map<String, String> toMap() {
        return Map.of(FILE_INDEX, Integer.toString(fileIndex), FILE, file, LINE, Long.toString(line),
                OFFSET, Long.toString(offset), SIZE, Long.toString(size), MODIFIED, Long.toString(modifiedMillis));
    }

    /**
     * Checks that the file about to be read on from this position is the one it was taken in: the same
     * size and last-modified time (when the position knows them), as the file was found on opening it.
     *
     * @throws IOException naming the file and what changed
     */
    void checkUnchanged(Path path, long sizeNow, long modifiedNow) throws IOException {
        if (size >= 0 && size != sizeNow) {
            throw new IOException("the input changed since the checkpoint: " + path + " has " + sizeNow
                    + " bytes, and had " + size);
        }
        if (modifiedMillis >= 0 && modifiedMillis != modifiedNow) {
            throw new IOException("the input changed since the checkpoint: " + path + " was modified since ("
                    + Instant.ofEpochMilli(modifiedNow) + ", was " + Instant.ofEpochMilli(modifiedMillis) + ")");
        }
    }

    private static String required(Map<String, String> state, String key) {
        String value = state.get(key);
        if (value == null) {
            throw new IllegalArgumentException("the file source's checkpoint has no '" + key + "': " + state);
        }
        return value;
    }
}
