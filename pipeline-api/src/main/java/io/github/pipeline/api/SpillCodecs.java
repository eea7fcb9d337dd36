package io.github.pipeline.api;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
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
            return new String(readBytes(in, length), StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "strings";
        }
    };

    /** Bytes read at a time for a long string, so a corrupt length cannot allocate more than the data holds. */
    private static final int PIECE = 64 * 1024;

    /**
     * Reads {@code length} bytes. A long string is read piece by piece: a corrupt length (say 2 GiB) then
     * ends in an {@code EOFException} at the end of the data instead of a huge allocation up front.
     */
    private static byte[] readBytes(DataInput in, int length) throws IOException {
        if (length <= PIECE) {
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return bytes;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(PIECE);
        byte[] piece = new byte[PIECE];
        for (int left = length; left > 0; left -= PIECE) {
            int n = Math.min(left, PIECE);
            try {
                in.readFully(piece, 0, n);
            } catch (EOFException e) {
                throw new IOException("corrupt spill data: a string of " + length + " bytes runs past the end", e);
            }
            bytes.write(piece, 0, n);
        }
        return bytes.toByteArray();
    }

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
