package io.github.pipeline.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.InputStream;

/**
 * JSON lines: each line is one JSON value, read with Jackson into a tree or a class. Blank lines are
 * passed over; a line with more than one value, or with the value {@code null}, is malformed.
 *
 * @param <T> the type of the items
 */
final class JsonLines<T> implements RecordFormat<T> {

    private final ObjectReader reader;
    private final Class<T> type;

    JsonLines(ObjectMapper mapper, Class<T> type) {
        this.type = type;
        this.reader = mapper.readerFor(type).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @Override
    public String describe() {
        return "JSON lines as " + type.getSimpleName();
    }

    @Override
    public RecordFramer framer(InputStream content, boolean gzip, int maxLength, boolean skipBom) {
        return RecordFramer.lines(content, gzip, maxLength, skipBom);
    }

    @Override
    public RecordParser<T> newParser() {
        return (text, line) -> {
            if (text.isBlank()) {
                return null;
            }
            T value;
            try {
                value = reader.readValue(text);
            } catch (JsonProcessingException e) {
                throw new RecordParser.BadRecordException(reason(e), e);
            }
            if (value == null) {
                throw new RecordParser.BadRecordException("the JSON value is null, which is not an item", null);
            }
            return value;
        };
    }

    private String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        message = message == null ? e.getClass().getSimpleName() : message.replaceAll("\\s*\\R\\s*", " ");
        if (e.getLocation() != null && e.getLocation().getColumnNr() > 0) {
            return "invalid JSON for " + type.getSimpleName() + " at column " + e.getLocation().getColumnNr() + ": "
                    + message;
        }
        return "invalid JSON for " + type.getSimpleName() + ": " + message;
    }
}
