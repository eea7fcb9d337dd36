package io.github.pipeline.api;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A file written aside and moved into place only on success: the pattern of every file sink. Bytes go
 * to a hidden {@code .<name>.<random>.partial} file in the target's directory; {@link #commit()}
 * finishes it (the gzip trailer, if compressed), forces it to disk and moves it over the target in one
 * atomic step where the file system can; {@link #abort()} deletes it. So a failed or cancelled run
 * leaves an existing target untouched and no partial file under the final name, and a reader never
 * sees a half-written target.
 *
 * <p>Write through {@link #stream()} or {@link #writer(Charset)} (not both). Not thread-safe: a sink
 * writer is called from one thread at a time. Use it in your own {@link Sink}: open it in
 * {@link Sink#open()}, commit it in {@link SinkWriter#complete()}, abort it in
 * {@link SinkWriter#abort(Throwable)}.
 *
 * <p>For checkpointed runs (see {@link Checkpoints}), {@link #checkpoint()} makes what was written so far
 * durable and returns the partial file's length; {@link #suspend()} closes the output but keeps the partial
 * file; {@link #resume(Path, Path, long, boolean)} reopens it, cut back to a checkpoint's length, to go on
 * writing. A gzip output is then a series of gzip members, one per checkpoint, which gzip readers (and
 * {@code GZIPInputStream}) read as one stream.
 */
public final class AtomicFileOutput implements Closeable {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path target;
    private final Path partial;
    private final FileChannel channel;
    /** The file's buffer: what a gzip member, or the caller, writes to. */
    private final OutputStream file;
    private final boolean gzip;
    /** What callers write to: the file's buffer, or the current gzip member over it. */
    private final MemberStream stream;
    private CharsetWriter writer;
    private boolean ended;
    /** Whether a checkpoint may refer to the partial file: one was taken, or the output was resumed. */
    private boolean checkpointed;

    private AtomicFileOutput(Path target, Path partial, FileChannel channel, boolean gzip) throws IOException {
        this.target = target;
        this.partial = partial;
        this.channel = channel;
        this.gzip = gzip;
        this.file = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_SIZE);
        this.stream = new MemberStream(gzip ? newMember() : file);
    }

    private GZIPOutputStream newMember() throws IOException {
        return new GZIPOutputStream(new FilterOutputStream(file) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // a member's end is not the file's end
            }
        }, BUFFER_SIZE);
    }

    /**
     * Starts writing {@code target} aside, uncompressed. Creates the target's directory if needed.
     *
     * @param target the file that will exist once {@link #commit()} succeeds
     * @return the output
     * @throws IOException if the directory or the partial file cannot be created
     */
    public static AtomicFileOutput open(Path target) throws IOException {
        return open(target, false);
    }

    /**
     * Starts writing {@code target} aside, gzip-compressed if asked. Creates the target's directory if
     * needed.
     *
     * @param target the file that will exist once {@link #commit()} succeeds
     * @param gzip   whether to compress what is written with gzip
     * @return the output
     * @throws IOException if the directory or the partial file cannot be created
     */
    public static AtomicFileOutput open(Path target, boolean gzip) throws IOException {
        Path file = Objects.requireNonNull(target, "target").toAbsolutePath();
        Path dir = file.getParent();
        Files.createDirectories(dir);
        while (true) {
            Path partial = dir.resolve("." + file.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".partial");
            FileChannel channel;
            try {
                channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            try {
                return new AtomicFileOutput(file, partial, channel, gzip);
            } catch (IOException | RuntimeException e) {
                channel.close();
                Files.deleteIfExists(partial);
                throw e;
            }
        }
    }

    /**
     * Reopens the partial file of a suspended output to go on writing at {@code length}: bytes after it
     * (written after the checkpoint that recorded {@code length}) are cut off.
     *
     * @param target  the final path, as {@link #target()} returned it
     * @param partial the partial file, as {@link #partial()} returned it
     * @param length  the length a {@link #checkpoint()} returned
     * @param gzip    whether the output is gzip-compressed, as when it was opened
     * @return the output, positioned at {@code length}
     * @throws IOException if the partial file is missing or shorter than {@code length}, or cannot be opened
     */
    public static AtomicFileOutput resume(Path target, Path partial, long length, boolean gzip) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(partial, "partial");
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, got " + length);
        }
        if (!Files.exists(partial)) {
            throw new IOException("the partial output " + partial + " to resume is gone"
                    + (Files.exists(target) ? " (" + target + " exists: did the run finish?)" : ""));
        }
        FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE);
        try {
            long size = channel.size();
            if (size < length) {
                throw new IOException("the partial output " + partial + " has " + size
                        + " bytes, fewer than the " + length + " its checkpoint made durable");
            }
            channel.truncate(length);
            channel.position(length);
            AtomicFileOutput output = new AtomicFileOutput(target.toAbsolutePath(), partial, channel, gzip);
            output.checkpointed = true;
            return output;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Returns whether a checkpoint may refer to the partial file: {@link #checkpoint()} was called, or
     * the output was {@link #resume resumed}. Such an output should be suspended, not aborted, when its
     * run fails, and a failed {@link #commit()} keeps it.
     *
     * @return whether the partial file is part of a checkpoint
     */
    public boolean hasCheckpoint() {
        return checkpointed;
    }

    /**
     * Returns the file this output becomes on {@link #commit()}.
     *
     * @return the target, absolute
     */
    public Path target() {
        return target;
    }

    /**
     * Returns the partial file being written, which {@link #commit()} moves into place.
     *
     * @return the partial file
     */
    public Path partial() {
        return partial;
    }

    /**
     * Returns the buffered (and, if asked, compressing) stream to write to. Closing it is not needed:
     * {@link #commit()} and {@link #abort()} do.
     *
     * @return the stream
     */
    public OutputStream stream() {
        return stream;
    }

    /**
     * Returns a buffered writer over {@link #stream()} in the given charset, made on the first call;
     * {@link #commit()} flushes it.
     *
     * @param charset the charset of the text
     * @return the writer
     * @throws IllegalStateException if a writer in another charset was made before
     */
    public Writer writer(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        if (writer == null) {
            writer = new CharsetWriter(new OutputStreamWriter(stream, charset), charset);
        } else if (!writer.charset.equals(charset)) {
            throw new IllegalStateException("a writer in " + writer.charset + " is already open");
        }
        return writer;
    }

    /**
     * Finishes the file and moves it over the target (atomically where the file system can). On failure
     * the target is left as it was and the partial file deleted, unless a checkpoint was taken or the
     * output was resumed: then a checkpoint may refer to it, and it stays for a resumed run to finish.
     *
     * @throws IOException if writing, forcing to disk or moving fails
     * @throws IllegalStateException if the output was already committed or aborted
     */
    public void commit() throws IOException {
        if (ended) {
            throw new IllegalStateException("the output to " + target + " was already committed or aborted");
        }
        ended = true;
        try {
            if (writer != null) {
                writer.flush();
            }
            if (gzip) {
                stream.current.close();
            }
            file.flush();
            channel.force(true);
            file.close();
            move(partial, target);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(e);
            if (!checkpointed) {
                deleteQuietly(); // else a checkpoint refers to it: a resumed run retries from there
            }
            throw e;
        }
    }

    /**
     * Closes and deletes the partial file, leaving the target as it was. Never throws; does nothing if
     * the output has already been committed or aborted.
     */
    public void abort() {
        if (ended) {
            return;
        }
        ended = true;
        closeQuietly(null);
        deleteQuietly();
    }

    /**
     * Makes everything written so far durable: flushes the writer and the buffers, ends the current gzip
     * member (a new one starts with the next write), and forces the file to storage. Writing may go on.
     *
     * @return the partial file's length, for {@link #resume(Path, Path, long, boolean)}
     * @throws IOException if the file cannot be written or synced
     * @throws IllegalStateException if the output was committed, aborted or suspended
     */
    public long checkpoint() throws IOException {
        if (ended) {
            throw new IllegalStateException("the output to " + target + " was already committed, aborted or suspended");
        }
        checkpointed = true;
        if (writer != null) {
            writer.flush();
        }
        if (gzip) {
            stream.current.close(); // writes the member's trailer, frees its compressor, leaves the file open
        }
        file.flush();
        channel.force(true);
        long length = channel.position();
        if (gzip) {
            stream.current = newMember(); // its header is written after the durable length
        }
        return length;
    }

    /**
     * Ends the output without committing or deleting it: the partial file stays, for a run that resumes
     * from a checkpoint. What was written after the last {@link #checkpoint()} may or may not be in it; a
     * resume cuts it off. Never throws; does nothing if the output has ended.
     */
    public void suspend() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            channel.close(); // first: closing the streams then writes nothing more to the file
        } catch (IOException ignored) {
            // what is after the last checkpoint does not matter
        }
        try {
            stream.close();
        } catch (IOException | RuntimeException ignored) {
            // the channel is closed: the streams could only release their compressor
        }
    }

    /** Aborts the output unless it was committed: for try-with-resources. */
    @Override
    public void close() {
        abort();
    }

    /** Closes the streams (releasing a compressor's native memory) and, whatever they throw, the file. */
    private void closeQuietly(Throwable failure) {
        try {
            stream.close();
        } catch (IOException | RuntimeException ignored) {
            // the partial file is deleted next: what it holds does not matter
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    private void deleteQuietly() {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException ignored) {
            // best effort: a leftover ".partial" file never carries the final name
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The stream callers write to: the file's buffer, or the gzip member of the moment over it. */
    private static final class MemberStream extends OutputStream {
        OutputStream current;

        MemberStream(OutputStream current) {
            this.current = current;
        }

        @Override
        public void write(int b) throws IOException {
            current.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            current.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            current.flush();
        }

        @Override
        public void close() throws IOException {
            current.close();
        }
    }

    /** A buffered writer that remembers its charset. */
    private static final class CharsetWriter extends BufferedWriter {
        final Charset charset;

        CharsetWriter(Writer out, Charset charset) {
            super(out, BUFFER_SIZE);
            this.charset = charset;
        }
    }
}
