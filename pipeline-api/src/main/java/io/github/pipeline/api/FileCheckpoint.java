package io.github.pipeline.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The checkpoint state of a file sink that writes aside with {@link AtomicFileOutput}: the partial file,
 * the length a checkpoint made durable, and how many records that length holds. Sinks of your own that
 * write through an {@code AtomicFileOutput} can keep their state with it.
 *
 * @param partial the partial file
 * @param length  its durable length in bytes
 * @param records the records written up to that length
 */
public record FileCheckpoint(Path partial, long length, long records) {

    private static final String PARTIAL = "partial";
    private static final String LENGTH = "length";
    private static final String RECORDS = "records";

    /**
     * Creates a state.
     *
     * @param partial the partial file
     * @param length  its durable length, at least 0
     * @param records the records in it, at least 0
     */
    public FileCheckpoint {
        Objects.requireNonNull(partial, "partial");
        if (length < 0 || records < 0) {
            throw new IllegalArgumentException("length and records must not be negative, got " + length
                    + " and " + records);
        }
    }

    /**
     * Reads a state from the keys and values {@link #toMap()} made.
     *
     * @param state the keys and values
     * @return the state
     * @throws IllegalArgumentException if a key is missing or a number is not one
     */
    public static FileCheckpoint of(Map<String, String> state) {
        return new FileCheckpoint(Path.of(required(state, PARTIAL)), number(state, LENGTH), number(state, RECORDS));
    }

    /**
     * Returns the state as keys and values, for {@link CheckpointableWriter#checkpoint()}.
     *
     * @return {@code partial}, {@code length} and {@code records}
     */
    public Map<String, String> toMap() {
        return Map.of(PARTIAL, partial.toString(), LENGTH, Long.toString(length), RECORDS, Long.toString(records));
    }

    private static String required(Map<String, String> state, String key) {
        String value = state.get(key);
        if (value == null) {
            throw new IllegalArgumentException("the file sink's checkpoint has no '" + key + "': " + state);
        }
        return value;
    }

    private static long number(Map<String, String> state, String key) {
        String value = required(state, key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the file sink's checkpoint has '" + key + "' = '" + value
                    + "', not a number", e);
        }
    }
}
