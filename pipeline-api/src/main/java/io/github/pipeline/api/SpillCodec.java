package io.github.pipeline.api;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Writes values of one type to a spill file and reads them back: how an
 * {@linkplain PipelineBuilder#aggregate(String, java.util.function.Function, Aggregator) aggregate} stage
 * moves keys and accumulators to disk when they no longer fit its memory bound. {@link #read} must
 * return a value equal to the one {@link #write} was given, reading exactly the bytes it wrote.
 *
 * <p>Codecs for {@code String}, {@code Long}, {@code Double} and {@code Integer} are built in; the
 * built-in {@link Aggregators} bring their own accumulator codecs.
 *
 * @param <X> the type of the values
 */
public interface SpillCodec<X> {

    /**
     * Writes one value.
     *
     * @param value the value, never {@code null}
     * @param out   where to write it
     * @throws IOException if writing fails
     */
    void write(X value, DataOutput out) throws IOException;

    /**
     * Reads one value written by {@link #write}.
     *
     * @param in where to read it from
     * @return the value, never {@code null}
     * @throws IOException if reading fails, or the bytes are not a value of this codec
     */
    X read(DataInput in) throws IOException;

    /**
     * A codec for strings of any length: the length of the UTF-8 bytes, then the bytes. (Unlike
     * {@link DataOutput#writeUTF}, it has no 64 KB limit.)
     *
     * @return the string codec
     */
    static SpillCodec<String> strings() {
        return SpillCodecs.STRINGS;
    }

    /**
     * A codec for longs, eight bytes each.
     *
     * @return the long codec
     */
    static SpillCodec<Long> longs() {
        return SpillCodecs.LONGS;
    }

    /**
     * A codec for doubles, eight bytes each, bit for bit (NaN and the sign of zero survive).
     *
     * @return the double codec
     */
    static SpillCodec<Double> doubles() {
        return SpillCodecs.DOUBLES;
    }

    /**
     * A codec for integers, four bytes each.
     *
     * @return the integer codec
     */
    static SpillCodec<Integer> integers() {
        return SpillCodecs.INTEGERS;
    }
}
