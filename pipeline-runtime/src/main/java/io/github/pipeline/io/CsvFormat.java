package io.github.pipeline.io;

/**
 * The dialect of a CSV file: its field separator and quote character. Immutable; {@link #standard()} is
 * RFC 4180's comma and double quote. Records end with {@code \n} or {@code \r\n}; line ends inside
 * quotes belong to the field.
 */
public final class CsvFormat {

    private static final CsvFormat STANDARD = new CsvFormat(',', '"');

    private final char separator;
    private final char quote;

    private CsvFormat(char separator, char quote) {
        this.separator = separator;
        this.quote = quote;
    }

    /**
     * RFC 4180: fields separated by commas, quoted with double quotes, a doubled quote inside quotes
     * standing for one quote.
     *
     * @return the standard format
     */
    public static CsvFormat standard() {
        return STANDARD;
    }

    /**
     * Returns a copy with another field separator, such as {@code ';'} or {@code '\t'}.
     *
     * @param separator an ASCII character other than the quote, {@code \n} and {@code \r}
     * @return the copy
     * @throws IllegalArgumentException if the separator is not allowed
     */
    public CsvFormat withSeparator(char separator) {
        check("separator", separator);
        if (separator == quote) {
            throw new IllegalArgumentException("the separator must differ from the quote, both are '" + quote + "'");
        }
        return new CsvFormat(separator, quote);
    }

    /**
     * Returns a copy with another quote character.
     *
     * @param quote an ASCII character other than the separator, {@code \n} and {@code \r}
     * @return the copy
     * @throws IllegalArgumentException if the quote is not allowed
     */
    public CsvFormat withQuote(char quote) {
        check("quote", quote);
        if (quote == separator) {
            throw new IllegalArgumentException("the quote must differ from the separator, both are '" + quote + "'");
        }
        return new CsvFormat(separator, quote);
    }

    private static void check(String what, char c) {
        if (c > 127 || c == '\n' || c == '\r') {
            throw new IllegalArgumentException("the " + what + " must be an ASCII character other than \\n and \\r, got "
                    + (c == '\n' ? "\\n" : c == '\r' ? "\\r" : "'" + c + "' (U+" + String.format("%04X", (int) c) + ")"));
        }
    }

    /**
     * Returns the field separator.
     *
     * @return the separator
     */
    public char separator() {
        return separator;
    }

    /**
     * Returns the quote character.
     *
     * @return the quote
     */
    public char quote() {
        return quote;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsvFormat other && other.separator == separator && other.quote == quote;
    }

    @Override
    public int hashCode() {
        return separator * 31 + quote;
    }

    @Override
    public String toString() {
        return "CsvFormat[separator=" + (separator == '\t' ? "\\t" : String.valueOf(separator)) + ", quote=" + quote + "]";
    }
}
