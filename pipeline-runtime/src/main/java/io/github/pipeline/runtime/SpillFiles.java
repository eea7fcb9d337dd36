package io.github.pipeline.runtime;

import io.github.pipeline.api.SpillCodec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The spill files of one aggregate stage in one run, in a directory of their own
 * ({@code pipeline-<p>-<stage>-<random>} under the configured directory), created at the first spill.
 *
 * <p>{@link #close()} closes every file still open and deletes every file and the directory. It may
 * be called from any thread, more than once: by the stage when it ends, and by the run when it shuts
 * down (so files go whether the run succeeds, fails or is cancelled). Once closed, no new file can be
 * made, so a stage thread still winding down cannot leave one behind. Open files are closed through
 * their channel, never flushed, so closing never writes.
 */
final class SpillFiles implements AutoCloseable {

    private static final Logger LOG = Loggers.getLogger(SpillFiles.class);

    private final Path parent;
    private final String prefix;
    private final String stage;
    private Path directory;
    private final Set<Path> files = new LinkedHashSet<>();
    private final Set<FileChannel> open = new HashSet<>();
    private int created;
    private boolean closed;
    private long bytesOnDisk;
    private long peakBytesOnDisk;
    private long bytesWritten;
    private int peakOpenFiles;

    /**
     * @param parent   the directory under which the stage's own directory is made
     * @param pipeline the pipeline's name
     * @param stage    the stage's name
     */
    SpillFiles(Path parent, String pipeline, String stage) {
        this.parent = parent;
        this.prefix = "pipeline-" + pipeline + "-" + stage + "-";
        this.stage = stage;
    }

    /** Creates a new, empty run file, open for writing. */
    synchronized RunWriter newRun(SpillCodec<Object> keys, SpillCodec<Object> accumulators) throws IOException {
        checkNotClosed();
        if (directory == null) {
            Files.createDirectories(parent);
            directory = Files.createTempDirectory(parent, prefix);
        }
        Path file = directory.resolve(String.format("run-%06d.bin", ++created));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        files.add(file);
        opened(channel);
        return new RunWriter(this, file, channel, keys, accumulators);
    }

    /** Opens a finished run file for reading. */
    synchronized RunReader openRun(Path file, SpillCodec<Object> keys, SpillCodec<Object> accumulators)
            throws IOException {
        checkNotClosed();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        opened(channel);
        return new RunReader(this, file, channel, keys, accumulators);
    }

    private void opened(FileChannel channel) {
        open.add(channel);
        peakOpenFiles = Math.max(peakOpenFiles, open.size());
    }

    private void checkNotClosed() throws IOException {
        if (closed) {
            throw new IOException("the spill files of stage '" + stage + "' were deleted: the run has ended");
        }
    }

    /** Closes a file's channel (without flushing anything) and forgets it. */
    synchronized void closeChannel(FileChannel channel) throws IOException {
        open.remove(channel);
        channel.close();
    }

    /** Records that a run of {@code bytes} bytes was written. */
    synchronized void written(long bytes) {
        bytesWritten += bytes;
        bytesOnDisk += bytes;
        peakBytesOnDisk = Math.max(peakBytesOnDisk, bytesOnDisk);
    }

    /** Deletes a run file that has been merged into another. */
    synchronized void delete(Path file, long bytes) throws IOException {
        Files.deleteIfExists(file);
        files.remove(file);
        bytesOnDisk -= bytes;
    }

    /** The run files made so far, deleted or not. */
    synchronized int runsCreated() {
        return created;
    }

    /** Bytes written to run files so far, in all. */
    synchronized long bytesWritten() {
        return bytesWritten;
    }

    /** The most bytes that run files took on disk at one time. */
    synchronized long peakBytesOnDisk() {
        return peakBytesOnDisk;
    }

    /** The most files that were open at one time. */
    synchronized int peakOpenFiles() {
        return peakOpenFiles;
    }

    /** The stage's own directory, or {@code null} before the first spill. */
    synchronized Path directory() {
        return directory;
    }

    /** Where the files are or will be: the stage's own directory, or before the first spill its parent. */
    synchronized Path location() {
        return directory != null ? directory : parent;
    }

    /** Closes every open file and deletes every file and the directory; quietly, once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (FileChannel channel : new ArrayList<>(open)) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("closing a spill file of stage '" + stage + "' failed", e);
            }
        }
        open.clear();
        List<Path> all = new ArrayList<>(files);
        if (directory != null) {
            all.add(directory);
        }
        for (Path path : all) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.warn("deleting spill file " + path + " of stage '" + stage + "' failed", e);
            }
        }
        files.clear();
        bytesOnDisk = 0;
    }
}
