package io.github.pipeline.api;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The built-in {@link SpillCodec}s, one instance each. */
final class SpillCodecs {

    static final SpillCodec<String> STRINGS = new SpillCodec<>() {
        @Override
        public void write(String value, DataOutput out) throws IOException {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        @Override
        public String read(DataInput in) throws IOException {
            int length = in.readInt();
            if (length < 0) {
                throw new IOException("corrupt spill data: a string of length " + length);
            }
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "strings";
        }
    };

    static final SpillCodec<Long> LONGS = new SpillCodec<>() {
        @Override
        public void write(Long value, DataOutput out) throws IOException {
            out.writeLong(value);
        }

        @Override
        public Long read(DataInput in) throws IOException {
            return in.readLong();
        }

        @Override
        public String toString() {
            return "longs";
        }
    };

    static final SpillCodec<Double> DOUBLES = new SpillCodec<>() {
        @Override
        public void write(Double value, DataOutput out) throws IOException {
            out.writeLong(Double.doubleToRawLongBits(value));
        }

        @Override
        public Double read(DataInput in) throws IOException {
            return Double.longBitsToDouble(in.readLong());
        }

        @Override
        public String toString() {
            return "doubles";
        }
    };

    static final SpillCodec<Integer> INTEGERS = new SpillCodec<>() {
        @Override
        public void write(Integer value, DataOutput out) throws IOException {
            out.writeInt(value);
        }

        @Override
        public Integer read(DataInput in) throws IOException {
            return in.readInt();
        }

        @Override
        public String toString() {
            return "integers";
        }
    };

    private SpillCodecs() {
    }
}
