package io.github.pipeline.io;

import java.io.InputStream;

/**
 * A file format: how a file's bytes are cut into records and how a record becomes an item.
 *
 * @param <T> the type of the items
 */
interface RecordFormat<T> {

    /** Names the items in a description, for example {@code "CSV rows"}. */
    String describe();

    /** The framer for one file's content. */
    RecordFramer framer(InputStream content, boolean gzip, int maxLength, boolean skipBom);

    /** A parser for one run. */
    RecordParser<T> newParser();

    /** The bytes that framing needs to be single ASCII bytes in the charset (line end, quote, separator). */
    default String framingCharacters() {
        return "\n";
    }
}
