package io.github.pipeline.runtime;

import io.github.pipeline.api.SpillCodec;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Reads a run written by {@link RunWriter}, entry by entry, through a buffer of its own. */
final class RunReader implements EntrySource {

    private static final int BUFFER = 32 * 1024;

    private final SpillFiles files;
    private final Path file;
    private final FileChannel channel;
    private final DataInputStream in;
    private final SpillCodec<Object> keys;
    private final SpillCodec<Object> accumulators;
    private Object key;
    private Object accumulator;
    private boolean closed;

    RunReader(SpillFiles files, Path file, FileChannel channel, SpillCodec<Object> keys,
              SpillCodec<Object> accumulators) {
        this.files = files;
        this.file = file;
        this.channel = channel;
        this.in = new DataInputStream(new ChannelInput(channel, BUFFER));
        this.keys = keys;
        this.accumulators = accumulators;
    }

    @Override
    public boolean advance() throws IOException {
        try {
            int marker = in.readUnsignedByte();
            if (marker == RunWriter.END) {
                key = null;
                accumulator = null;
                close();
                return false;
            }
            if (marker != RunWriter.ENTRY) {
                throw new IOException("spill file " + file + " is corrupt: marker " + marker);
            }
            key = keys.read(in);
            accumulator = accumulators.read(in);
            return true;
        } catch (EOFException e) {
            throw new IOException("spill file " + file + " ends early: it was truncated", e);
        }
    }

    @Override
    public Object key() {
        return key;
    }

    @Override
    public Object accumulator() {
        return accumulator;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            files.closeChannel(channel);
        }
    }
}
