package io.github.pipeline.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A buffered output stream over a file channel, for one thread: unlike {@link java.io.BufferedOutputStream}
 * it takes no lock per call, which matters when a {@link java.io.DataOutputStream} on top writes an
 * {@code int} as four one-byte calls. Closing it does not close the channel.
 */
final class ChannelOutput extends OutputStream {

    private final FileChannel channel;
    private final byte[] buffer;
    private final ByteBuffer wrapped;
    private int count;

    ChannelOutput(FileChannel channel, int bufferSize) {
        this.channel = channel;
        this.buffer = new byte[bufferSize];
        this.wrapped = ByteBuffer.wrap(buffer);
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buffer.length) {
            drain();
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (length > buffer.length - count) {
            drain();
            if (length > buffer.length) {
                writeFully(ByteBuffer.wrap(bytes, offset, length));
                return;
            }
        }
        System.arraycopy(bytes, offset, buffer, count, length);
        count += length;
    }

    @Override
    public void flush() throws IOException {
        drain();
    }

    private void drain() throws IOException {
        if (count > 0) {
            wrapped.clear().limit(count);
            writeFully(wrapped);
            count = 0;
        }
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
