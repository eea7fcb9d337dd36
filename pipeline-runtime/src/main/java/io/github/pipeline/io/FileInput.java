package io.github.pipeline.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One opened input file: its content (decompressed when gzip), its size on disk and the bytes read from
 * disk so far. A gzip stream is set up on the first read, so that a file cut short even in its header
 * fails there, where the reader knows the line, rather than when it is opened. Gzip members that follow
 * one another are read as one content; bytes after the last member that are not gzip are an error
 * ({@link StrictGzip}), where the JDK would drop them silently.
 */
final class FileInput implements Closeable {

    private static final int BUFFER_SIZE = 64 * 1024;

    final Path file;
    final long size;
    /** The file's last-modified time when it was opened, in milliseconds. */
    final long modifiedMillis;
    final boolean gzip;
    private final CountingInputStream disk;
    private final InputStream content;

    private FileInput(Path file, long size, long modifiedMillis, boolean gzip, CountingInputStream disk) {
        this.file = file;
        this.size = size;
        this.modifiedMillis = modifiedMillis;
        this.gzip = gzip;
        this.disk = disk;
        this.content = gzip ? new LazyGzip(disk) : disk;
    }

    static FileInput open(Path file, Compression compression) throws IOException {
        boolean gzip = switch (compression) {
            case GZIP -> true;
            case NONE -> false;
            case AUTO -> isGzip(file);
        };
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        return new FileInput(file, size, modified, gzip, new CountingInputStream(Files.newInputStream(file)));
    }

    /** Whether the file is named {@code *.gz} or starts with gzip's magic bytes {@code 1f 8b}. */
    static boolean isGzip(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".gz")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(2);
            return magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        }
    }

    /** The file's content: what the records are read from. */
    InputStream content() {
        return content;
    }

    /** Bytes read from disk so far (compressed bytes for gzip). Any thread. */
    long bytesRead() {
        return disk.count();
    }

    @Override
    public void close() throws IOException {
        content.close();
    }

    /** A gzip stream made on the first read. */
    private static final class LazyGzip extends InputStream {
        private final InputStream compressed;
        private GZIPInputStream gzip;

        LazyGzip(InputStream compressed) {
            this.compressed = compressed;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (gzip == null) {
                gzip = new StrictGzip(compressed);
            }
            return gzip.read(buffer, offset, length);
        }

        @Override
        public void close() throws IOException {
            if (gzip != null) {
                gzip.close();
            } else {
                compressed.close();
            }
        }
    }

    /**
     * A {@link GZIPInputStream} that fails on bytes after its last member. At the end of a member the
     * JDK looks for another one and, when what follows is not gzip, ends the stream as if nothing
     * followed: those bytes would be lost silently. At that end, the inflater still holds exactly the
     * 8 trailer bytes of the last member, and the file has nothing left, unless something follows.
     */
    private static final class StrictGzip extends GZIPInputStream {
        private static final int TRAILER_BYTES = 8;
        private boolean checked;

        StrictGzip(InputStream compressed) throws IOException {
            super(compressed, BUFFER_SIZE);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n < 0 && !checked) {
                checked = true;
                int extra = Math.max(0, inf.getRemaining() - TRAILER_BYTES);
                if (extra > 0 || in.read() >= 0) {
                    throw new ZipException("bytes that are not gzip follow the end of the gzip data");
                }
            }
            return n;
        }
    }
}
