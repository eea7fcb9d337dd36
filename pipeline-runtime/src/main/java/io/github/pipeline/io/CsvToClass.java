package io.github.pipeline.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Function;

/**
 * Maps a CSV row to a record or class with Jackson, column names to properties, using Jackson's
 * coercion of text to numbers, booleans, enums and dates. Columns the class does not have are ignored.
 *
 * @param <T> the class
 */
final class CsvToClass<T> implements Function<CsvRow, T> {

    private final ObjectReader reader;
    private final Class<T> type;

    CsvToClass(ObjectMapper mapper, Class<T> type) {
        this.type = type;
        this.reader = mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Override
    public T apply(CsvRow row) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        List<String> columns = row.columns();
        for (int i = 0; i < columns.size(); i++) {
            node.put(columns.get(i), row.get(i));
        }
        try {
            T value = reader.readValue(node);
            if (value == null) {
                throw new IllegalArgumentException("Jackson made null of it");
            }
            return value;
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            throw new IllegalArgumentException(message == null ? e.toString() : message.replaceAll("\\s*\\R\\s*", " "), e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.toString(), e);
        }
    }

    @Override
    public String toString() {
        return type.getSimpleName();
    }
}
