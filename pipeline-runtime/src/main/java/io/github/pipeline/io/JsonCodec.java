package io.github.pipeline.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.github.pipeline.api.ItemCodec;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * JSON lines between a pipeline and its worker processes: each item goes out as one line of JSON, and
 * each answer line is read with Jackson into a class (or a tree, with {@code JsonNode.class}). An answer
 * that is not one JSON value of that type, or is {@code null}, is malformed: its item fails under the
 * stage's error policy. Jackson never writes a line break inside a compact value, so every item is one
 * line.
 *
 * <pre>{@code
 * .process("score", ProcessWorkers.of("python3", "score.py"), JsonCodec.of(Score.class), StageOptions.sequential())
 * }</pre>
 *
 * @param <O> the type of the answers
 */
public final class JsonCodec<O> implements ItemCodec<Object, O> {

    private final ObjectWriter writer;
    private final ObjectReader reader;

    private JsonCodec(ObjectMapper mapper, Class<O> type) {
        this.writer = mapper.writer();
        this.reader = mapper.readerFor(type).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * A codec that writes items with a default Jackson {@link ObjectMapper} (with the modules found on the
     * class path) and reads answers as {@code type}.
     *
     * @param type the type of the answers
     * @param <O>  the type of the answers
     * @return the codec
     */
    public static <O> JsonCodec<O> of(Class<O> type) {
        return of(new ObjectMapper().findAndRegisterModules(), type);
    }

    /**
     * A codec that writes and reads with {@code mapper}.
     *
     * @param mapper the Jackson mapper, configured as the workers need
     * @param type   the type of the answers
     * @param <O>    the type of the answers
     * @return the codec
     */
    public static <O> JsonCodec<O> of(ObjectMapper mapper, Class<O> type) {
        return new JsonCodec<>(Objects.requireNonNull(mapper, "mapper"), Objects.requireNonNull(type, "type"));
    }

    /**
     * Writes the item as one line of JSON.
     *
     * @throws UncheckedIOException if Jackson cannot write it
     */
    @Override
    public String encode(Object item) {
        try {
            return writer.writeValueAsString(item);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write the item as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads one answer line.
     *
     * @throws UncheckedIOException if the line is not one JSON value of the type
     * @throws NullPointerException if the value is {@code null}
     */
    @Override
    public O decode(String line) {
        O value;
        try {
            value = reader.readValue(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("invalid JSON: " + e.getOriginalMessage(), e);
        }
        return Objects.requireNonNull(value, "the answer is the JSON value null, which is not an item");
    }
}
