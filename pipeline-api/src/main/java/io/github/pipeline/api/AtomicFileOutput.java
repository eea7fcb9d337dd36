package io.github.pipeline.api;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
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
 */
public final class AtomicFileOutput implements Closeable {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path target;
    private final Path partial;
    private final FileChannel channel;
    private final OutputStream stream;
    private CharsetWriter writer;
    private boolean ended;

    private AtomicFileOutput(Path target, Path partial, FileChannel channel, boolean gzip) throws IOException {
        this.target = target;
        this.partial = partial;
        this.channel = channel;
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_SIZE);
        this.stream = gzip ? new GZIPOutputStream(out, BUFFER_SIZE) : out;
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
     * the partial file is deleted and the target left as it was.
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
            if (stream instanceof GZIPOutputStream gzip) {
                gzip.finish();
            }
            stream.flush();
            channel.force(true);
            stream.close();
            move(partial, target);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(e);
            deleteQuietly();
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

    /** A buffered writer that remembers its charset. */
    private static final class CharsetWriter extends BufferedWriter {
        final Charset charset;

        CharsetWriter(Writer out, Charset charset) {
            super(out, BUFFER_SIZE);
            this.charset = charset;
        }
    }
}
