package io.github.pipeline.runtime;

import io.github.pipeline.api.SpillCodec;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Writes one sorted run: for each entry a marker byte {@code 1}, the key and the accumulator (each with
 * its codec), then a final {@code 0}, so a reader tells a complete run from a truncated one.
 */
final class RunWriter {

    static final int ENTRY = 1;
    static final int END = 0;
    private static final int BUFFER = 64 * 1024;

    private final SpillFiles files;
    private final Path file;
    private final FileChannel channel;
    private final DataOutputStream out;
    private final SpillCodec<Object> keys;
    private final SpillCodec<Object> accumulators;
    private long entries;

    RunWriter(SpillFiles files, Path file, FileChannel channel, SpillCodec<Object> keys,
              SpillCodec<Object> accumulators) {
        this.files = files;
        this.file = file;
        this.channel = channel;
        this.out = new DataOutputStream(new ChannelOutput(channel, BUFFER));
        this.keys = keys;
        this.accumulators = accumulators;
    }

    Path file() {
        return file;
    }

    void write(Object key, Object accumulator) throws IOException {
        out.writeByte(ENTRY);
        keys.write(key, out);
        accumulators.write(accumulator, out);
        entries++;
    }

    /** Ends the run and closes its file. */
    SortedRun finish() throws IOException {
        out.writeByte(END);
        out.flush();
        long bytes = channel.position();
        files.closeChannel(channel);
        files.written(bytes);
        return new SortedRun(file, entries, bytes);
    }

    /** Closes the file without finishing it (the run is given up); it is deleted with the others. */
    void abandon() {
        try {
            files.closeChannel(channel);
        } catch (IOException ignored) {
            // the file is deleted when the stage's files are
        }
    }
}
