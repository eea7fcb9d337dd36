package io.github.pipeline.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a checkpoint to one run at a time: an exclusive lock on {@code <checkpoint>.lock}, held from the
 * run's start to its end. Two runs resuming from one checkpoint would both append to the same partial
 * output; the second is refused instead. The operating system releases the lock of a process that dies.
 */
final class CheckpointLock {

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private CheckpointLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of the checkpoint {@code checkpoint}.
     *
     * @throws IOException if another run (of this JVM or another process) holds it, or it cannot be made
     */
    static CheckpointLock take(Path checkpoint) throws IOException {
        Path file = checkpoint.resolveSibling(checkpoint.getFileName() + ".lock");
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("another run is using the checkpoint " + checkpoint + " (it holds " + file + ")");
        }
        return new CheckpointLock(file, channel, lock);
    }

    /** Releases the lock; the lock file stays (deleting it could let two runs lock two different files). */
    void release() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing is left to do with it
            }
        }
    }

    @Override
    public String toString() {
        return "lock " + file;
    }
}
