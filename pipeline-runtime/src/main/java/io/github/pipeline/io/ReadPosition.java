package io.github.pipeline.io;

import java.util.Map;

/**
 * Where a {@link FileRecordReader} stands between records, as a checkpoint keeps it: the file (its place
 * in the list and its path) and the line and byte offset of the content where the next record starts.
 */
record ReadPosition(int fileIndex, String file, long line, long offset) {

    private static final String FILE_INDEX = "file.index";
    private static final String FILE = "file";
    private static final String LINE = "line";
    private static final String OFFSET = "offset";

    ReadPosition {
        if (fileIndex < 0 || line < 1 || offset < 0) {
            throw new IllegalArgumentException("not a read position: file #" + fileIndex + ", line " + line
                    + ", offset " + offset);
        }
    }

    static ReadPosition of(Map<String, String> state) {
        try {
            return new ReadPosition(Integer.parseInt(required(state, FILE_INDEX)), required(state, FILE),
                    Long.parseLong(required(state, LINE)), Long.parseLong(required(state, OFFSET)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the file source's checkpoint has a bad number: " + state, e);
        }
    }

    Map<String, String> toMap() {
        return Map.of(FILE_INDEX, Integer.toString(fileIndex), FILE, file, LINE, Long.toString(line),
                OFFSET, Long.toString(offset));
    }

    private static String required(Map<String, String> state, String key) {
        String value = state.get(key);
        if (value == null) {
            throw new IllegalArgumentException("the file source's checkpoint has no '" + key + "': " + state);
        }
        return value;
    }
}
