package io.github.pipeline.api;

import java.util.Objects;
import java.util.function.Function;

/**
 * Turns items into lines of text for a worker process, and the worker's answers back into items: how a
 * {@linkplain PipelineBuilder#process(String, ProcessWorkers, ItemCodec, StageOptions) process stage}
 * talks to its workers, one line per item each way. A line must not hold a line break; the engine
 * checks the lines it is given and fails the item if one does.
 *
 * <p>Text is {@link #text()}; JSON lines, through Jackson, are {@code JsonCodec.of(Type.class)} in
 * {@code pipeline-runtime}'s {@code io.github.pipeline.io} package. Both methods may be called from
 * several threads at once.
 *
 * @param <I> the type of the items sent to the workers
 * @param <O> the type of the items their answers become
 */
public interface ItemCodec<I, O> {

    /**
     * Writes an item as one line, without its line break. An exception fails the item, as a failing
     * function does, under the stage's error policy.
     *
     * @param item the item
     * @return the line to send to a worker
     */
    String encode(I item);

    /**
     * Reads a worker's answer, one line without its line break. An exception makes the answer
     * malformed: the item fails under the stage's error policy, and the worker goes on.
     *
     * @param line the answer
     * @return the item, not {@code null}
     */
    O decode(String line);

    /**
     * The text codec: an item is sent as {@code String.valueOf(item)} and the answer is the line itself.
     *
     * @return the text codec
     */
    static ItemCodec<Object, String> text() {
        return of(String::valueOf, line -> line);
    }

    /**
     * A codec made of two functions.
     *
     * @param encode from an item to its line
     * @param decode from an answer to an item
     * @param <I>    the type of the items sent
     * @param <O>    the type of the answers
     * @return the codec
     */
    static <I, O> ItemCodec<I, O> of(Function<? super I, String> encode, Function<String, ? extends O> decode) {
        Objects.requireNonNull(encode, "encode");
        Objects.requireNonNull(decode, "decode");
        return new ItemCodec<>() {
            @Override
            public String encode(I item) {
                return encode.apply(item);
            }

            @Override
            public O decode(String line) {
                return decode.apply(line);
            }
        };
    }
}
