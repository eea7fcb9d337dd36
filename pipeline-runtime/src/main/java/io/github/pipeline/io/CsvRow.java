package io.github.pipeline.io;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One row of a CSV file with a header: its values by column name or index, with typed getters. Rows of
 * one file share its header. Immutable.
 *
 * <p>A typed getter whose value does not parse throws an {@link IllegalArgumentException} naming the
 * column, the line and the value; in a stage, that goes to the stage's error policy.
 */
public final class CsvRow {

    private final CsvHeader header;
    private final String[] values;
    private final long line;

    CsvRow(CsvHeader header, String[] values, long line) {
        this.header = header;
        this.values = values;
        this.line = line;
    }

    /**
     * Returns the column names of the file's header, in order.
     *
     * @return the column names
     */
    public List<String> columns() {
        return header.columns;
    }

    /**
     * Returns the values, in column order.
     *
     * @return the values
     */
    public List<String> values() {
        return List.of(values);
    }

    /**
     * Returns the number of columns.
     *
     * @return the number of values
     */
    public int size() {
        return values.length;
    }

    /**
     * Returns the line of the file where the row starts (1 is the header).
     *
     * @return the line number
     */
    public long line() {
        return line;
    }

    /**
     * Returns the value at a column index.
     *
     * @param index from 0
     * @return the value, possibly empty
     * @throws IndexOutOfBoundsException if there is no such column
     */
    public String get(int index) {
        return values[index];
    }

    /**
     * Returns the value of a column.
     *
     * @param column the column's name in the header
     * @return the value, possibly empty
     * @throws IllegalArgumentException if the header has no such column
     */
    public String get(String column) {
        int i = header.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column '" + column + "' in the header " + header);
        }
        return values[i];
    }

    /**
     * Returns whether the header has the column.
     *
     * @param column the column's name
     * @return {@code true} if the header names it
     */
    public boolean has(String column) {
        return header.indexOf(column) >= 0;
    }

    /**
     * Returns a column's value as an {@code int}; spaces around it are ignored, as by all typed getters.
     *
     * @param column the column's name
     * @return the value
     * @throws IllegalArgumentException if there is no such column or its value is not an int
     */
    public int getInt(String column) {
        return get(column, "an int", text -> Integer.parseInt(text.strip()));
    }

    /**
     * Returns a column's value as a {@code long}.
     *
     * @param column the column's name
     * @return the value
     * @throws IllegalArgumentException if there is no such column or its value is not a long
     */
    public long getLong(String column) {
        return get(column, "a long", text -> Long.parseLong(text.strip()));
    }

    /**
     * Returns a column's value as a {@code double}.
     *
     * @param column the column's name
     * @return the value
     * @throws IllegalArgumentException if there is no such column or its value is not a number
     */
    public double getDouble(String column) {
        return get(column, "a double", text -> Double.parseDouble(text.strip()));
    }

    /**
     * Returns a column's value as a {@link BigDecimal}, exactly as written.
     *
     * @param column the column's name
     * @return the value
     * @throws IllegalArgumentException if there is no such column or its value is not a decimal number
     */
    public BigDecimal getDecimal(String column) {
        return get(column, "a decimal number", text -> new BigDecimal(text.strip()));
    }

    /**
     * Returns a column's value as a {@code boolean}: {@code true} or {@code false}, in any case.
     *
     * @param column the column's name
     * @return the value
     * @throws IllegalArgumentException if there is no such column or its value is neither
     */
    public boolean getBoolean(String column) {
        return get(column, "a boolean (true or false)", text -> {
            if (text.strip().equalsIgnoreCase("true")) {
                return true;
            }
            if (text.strip().equalsIgnoreCase("false")) {
                return false;
            }
            throw new IllegalArgumentException("not a boolean");
        });
    }

    /**
     * Returns a column's value converted by {@code parse}, for example {@code row.get("day", LocalDate::parse)}.
     *
     * @param column the column's name
     * @param parse  converts the text; what it throws is reported with the column, line and value
     * @param <V>    the type of the value
     * @return the converted value
     * @throws IllegalArgumentException if there is no such column or {@code parse} fails
     */
    public <V> V get(String column, Function<String, V> parse) {
        return get(column, "convertible", parse);
    }

    private <V> V get(String column, String what, Function<String, V> parse) {
        String text = get(column);
        try {
            return parse.apply(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("column '" + column + "' of the row at line " + line + " is not "
                    + what + ": '" + io.github.pipeline.api.Items.abbreviate(text) + "'", e);
        }
    }

    /**
     * Returns the row as a map from column name to value, in column order.
     *
     * @return a new map
     */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(header.columns.get(i), values[i]);
        }
        return map;
    }

    /** Rows are equal when their columns and values are; the line does not count. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CsvRow other && other.header.equals(header) && Arrays.equals(other.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(header, Arrays.hashCode(values));
    }

    /** The row as {@code {column=value, ...}}. */
    @Override
    public String toString() {
        return toMap().toString();
    }
}
