package io.github.pipeline.io;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.InputStream;
import java.util.function.Function;

/**
 * CSV with a header: each framed record is parsed by FastCSV (strictly: no characters after a closing
 * quote, no unclosed quote) and checked against the header's column count; the row then becomes an item.
 * Empty lines are passed over, as FastCSV does.
 *
 * @param <T> the type of the items
 */
final class CsvRecords<T> implements RecordFormat<T> {

    private final CsvFormat format;
    private final String itemName;
    private final Function<CsvRow, T> toItem;

    CsvRecords(CsvFormat format, String itemName, Function<CsvRow, T> toItem) {
        this.format = format;
        this.itemName = itemName;
        this.toItem = toItem;
    }

    @Override
    public String describe() {
        String dialect = format.equals(CsvFormat.standard()) ? "" : " (" + format + ")";
        return "CSV " + itemName + dialect;
    }

    @Override
    public RecordFramer framer(InputStream content, boolean gzip, int maxLength, boolean skipBom) {
        return RecordFramer.csv(content, gzip, maxLength, format.quote(), format.separator(), skipBom);
    }

    @Override
    public String framingCharacters() {
        return "\n\r" + format.quote() + format.separator();
    }

    @Override
    public RecordParser<T> newParser() {
        CsvReader.CsvReaderBuilder fastCsv = CsvReader.builder()
                .fieldSeparator(format.separator())
                .quoteCharacter(format.quote())
                .allowExtraCharsAfterClosingQuote(false)
                .allowUnclosedQuote(false)
                .detectBomHeader(false);
        return new RecordParser<>() {
            private CsvHeader header;

            @Override
            public void startFile() {
                header = null;
            }

            @Override
            public boolean needsHeader() {
                return header == null;
            }

            @Override
            public T parse(String text, long line) throws BadRecordException, InvalidFileException {
                if (text.isEmpty()) {
                    return null;
                }
                String[] values;
                try {
                    values = fields(fastCsv.ofSingleCsvRecord(text));
                } catch (CsvParseException e) {
                    if (header == null) {
                        throw new InvalidFileException("line " + line + ": the CSV header cannot be read: "
                                + rootMessage(e), e);
                    }
                    throw new BadRecordException("malformed CSV: " + rootMessage(e), e);
                }
                if (header == null) {
                    try {
                        header = CsvHeader.of(values);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidFileException("line " + line + ": " + e.getMessage(), e);
                    }
                    return null;
                }
                if (values.length != header.size()) {
                    throw new BadRecordException("the row has " + values.length + " column"
                            + (values.length == 1 ? "" : "s") + " where the header has " + header.size(), null);
                }
                try {
                    return toItem.apply(new CsvRow(header, values, line));
                } catch (RuntimeException e) {
                    throw new BadRecordException("the row cannot be made " + itemName + ": " + e.getMessage(), e);
                }
            }
        };
    }

    private static String[] fields(CsvRecord record) {
        String[] values = new String[record.getFieldCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = record.getField(i);
        }
        return values;
    }

    /** FastCSV wraps the cause ("Unexpected character after closing quote...") in a general message. */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause().getMessage() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
