package io.github.pipeline.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A buffered input stream over a file channel, for one thread: unlike {@link java.io.BufferedInputStream}
 * it takes no lock per call, which matters when a {@link java.io.DataInputStream} on top reads an
 * {@code int} as four one-byte calls. Closing it does not close the channel.
 */
final class ChannelInput extends InputStream {

    private final FileChannel channel;
    private final byte[] buffer;
    private final ByteBuffer wrapped;
    private int position;
    private int limit;

    ChannelInput(FileChannel channel, int bufferSize) {
        this.channel = channel;
        this.buffer = new byte[bufferSize];
        this.wrapped = ByteBuffer.wrap(buffer);
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == limit && !fill()) {
            return -1;
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, bytes, offset, n);
        position += n;
        return n;
    }

    /** Reads more bytes into the buffer; {@code false} at the end of the file. */
    private boolean fill() throws IOException {
        wrapped.clear();
        int n;
        do {
            n = channel.read(wrapped);
        } while (n == 0);
        position = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }
}
