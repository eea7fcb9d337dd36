package io.github.pipeline.io;

import java.io.InputStream;

/** Lines of text: each line is an item, empty lines included. */
final class TextLines implements RecordFormat<String> {

    static final TextLines INSTANCE = new TextLines();

    private TextLines() {
    }

    @Override
    public String describe() {
        return "lines";
    }

    @Override
    public RecordFramer framer(InputStream content, boolean gzip, int maxLength, boolean skipBom) {
        return RecordFramer.lines(content, gzip, maxLength, skipBom);
    }

    @Override
    public RecordParser<String> newParser() {
        return (text, line) -> text;
    }
}
