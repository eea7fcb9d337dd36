package io.github.pipeline.io;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The column names of one CSV file, shared by all its rows. */
final class CsvHeader {

    final List<String> columns;
    private final Map<String, Integer> index;

    private CsvHeader(String[] names) {
        this.columns = List.of(names);
        this.index = new HashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            index.put(names[i], i);
        }
    }

    /**
     * @throws IllegalArgumentException naming a column that appears twice
     */
    static CsvHeader of(String[] names) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            Integer before = seen.put(names[i], i);
            if (before != null) {
                throw new IllegalArgumentException("the header names column '" + names[i] + "' twice (columns "
                        + (before + 1) + " and " + (i + 1) + ")");
            }
        }
        return new CsvHeader(names.clone());
    }

    int size() {
        return columns.size();
    }

    /** The index of a column, or -1. */
    int indexOf(String column) {
        Integer i = index.get(column);
        return i == null ? -1 : i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsvHeader other && other.columns.equals(columns);
    }

    @Override
    public int hashCode() {
        return columns.hashCode();
    }

    @Override
    public String toString() {
        return Arrays.toString(columns.toArray());
    }
}
