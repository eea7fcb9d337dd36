package io.github.pipeline.io;

import io.github.pipeline.api.CheckpointableReader;
import io.github.pipeline.api.MalformedRecordException;
import io.github.pipeline.api.PositionedReader;
import io.github.pipeline.api.SourcePosition;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads the records of a source's files one after another: frames each record, decodes it, parses it.
 * A malformed record becomes a {@link MalformedRecordException} naming the file, the line and the
 * record, after which reading goes on with the next record (a truncated gzip file ends that file).
 *
 * @param <T> the type of the items
 */
final class FileRecordReader<T> implements PositionedReader<T>, CheckpointableReader<T> {

    private final List<Path> files;
    private final long totalBytes;
    private final RecordFormat<T> format;
    private final Compression compression;
    private final int maxLength;
    private final boolean skipBom;
    private final TextDecoder decoder;
    private final RecordParser<T> parser;

    private int nextFile;
    private volatile FileInput input;
    private volatile long finishedBytes;
    private RecordFramer framer;
    private String fileName;

    private String itemFile;
    private long itemLine;
    private long itemOffset = -1;

    FileRecordReader(List<Path> files, long totalBytes, RecordFormat<T> format, Compression compression, int maxLength,
                     Charset charset, MalformedInput malformed) {
        this.files = files;
        this.totalBytes = totalBytes;
        this.format = format;
        this.compression = compression;
        this.maxLength = maxLength;
        this.skipBom = charset.equals(StandardCharsets.UTF_8);
        this.decoder = new TextDecoder(charset, malformed);
        this.parser = format.newParser();
    }

    @Override
    public T next() throws IOException {
        while (true) {
            if (framer == null && !openNextFile()) {
                return null;
            }
            boolean framed;
            try {
                framed = framer.next();
            } catch (RecordFramer.FrameException e) {
                throw new MalformedRecordException(fileName, e.line, e.offset,
                        decoder.decodeLeniently(e.excerpt, 0, e.excerpt.length), e.getMessage(), null);
            }
            if (!framed) {
                closeFile();
                continue;
            }
            T item = parse();
            if (item != null) {
                return item;
            }
        }
    }

    private T parse() throws InvalidFileException {
        byte[] bytes = framer.bytes();
        int start = framer.recordStart();
        int length = framer.recordLength();
        long line = framer.recordLine();
        String text;
        try {
            text = decoder.decode(bytes, start, length);
        } catch (TextDecoder.InvalidBytesException e) {
            throw new MalformedRecordException(fileName, line, framer.recordOffset(),
                    decoder.decodeLeniently(bytes, start, length), e.getMessage(), null);
        }
        T item;
        try {
            item = parser.parse(text, line);
        } catch (RecordParser.BadRecordException e) {
            throw new MalformedRecordException(fileName, line, framer.recordOffset(), text, e.getMessage(),
                    e.getCause());
        } catch (InvalidFileException e) {
            throw new InvalidFileException(fileName + " " + e.getMessage(), e.getCause());
        }
        if (item != null) {
            itemFile = fileName;
            itemLine = line;
            itemOffset = framer.recordOffset();
        }
        return item;
    }

    /**
     * Positions a new reader where a checkpoint left off: the file at the position's place in the list
     * (which must still be the same file) from the position's byte offset of its content. A CSV file's
     * header is read first, from the start of the file.
     */
    void resumeAt(ReadPosition at) throws IOException {
        if (at.fileIndex() > files.size() || at.fileIndex() == files.size() && at.offset() > 0) {
            throw new IOException("the input changed since the checkpoint: it was in file #" + (at.fileIndex() + 1)
                    + " (" + at.file() + "), and there are " + files.size() + " files now");
        }
        if (at.fileIndex() == files.size()) {
            nextFile = files.size();
            return;
        }
        Path file = files.get(at.fileIndex());
        if (!file.toString().equals(at.file())) {
            throw new IOException("the input changed since the checkpoint: file #" + (at.fileIndex() + 1) + " is "
                    + file + " now, and was " + at.file());
        }
        nextFile = at.fileIndex() + 1;
        fileName = file.toString();
        parser.startFile();
        if (at.offset() > 0 && parser.needsHeader()) {
            readHeader(file);
        }
        FileInput opened = FileInput.open(file, compression);
        try {
            at.checkUnchanged(file, opened.size, opened.modifiedMillis);
            opened.content().skipNBytes(at.offset());
            framer = format.framer(opened.content(), opened.gzip, maxLength, skipBom);
            framer.startAt(at.line(), at.offset());
            input = opened;
        } catch (EOFException e) {
            opened.close();
            throw new IOException("the input changed since the checkpoint: " + file + " is shorter than the "
                    + at.offset() + " bytes read from it before", e);
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /** Reads a file's first records until the parser has its header. */
    private void readHeader(Path file) throws IOException {
        try (FileInput head = FileInput.open(file, compression)) {
            RecordFramer headFramer = format.framer(head.content(), head.gzip, maxLength, skipBom);
            while (parser.needsHeader()) {
                if (!headFramer.next()) {
                    throw new IOException("the input changed since the checkpoint: " + file + " has no header now");
                }
                parser.parse(decoder.decode(headFramer.bytes(), headFramer.recordStart(), headFramer.recordLength()),
                        headFramer.recordLine());
            }
        } catch (RecordFramer.FrameException | TextDecoder.InvalidBytesException | RecordParser.BadRecordException e) {
            throw new IOException(file + ": its header cannot be read again to resume: " + e.getMessage(), e);
        }
    }

    /**
     * Where reading stands: the file being read and where its next record starts, or the start of the
     * next file.
     */
    @Override
    public Map<String, String> checkpoint() {
        RecordFramer current = framer;
        if (current == null) {
            String next = nextFile < files.size() ? files.get(nextFile).toString() : "";
            return new ReadPosition(nextFile, next, 1, 0, -1, -1).toMap();
        }
        FileInput reading = input;
        return new ReadPosition(nextFile - 1, fileName, current.nextLine(), current.nextOffset(), reading.size,
                reading.modifiedMillis).toMap();
    }

    private boolean openNextFile() throws IOException {
        if (nextFile >= files.size()) {
            return false;
        }
        Path file = files.get(nextFile++);
        FileInput opened = FileInput.open(file, compression);
        input = opened;
        fileName = file.toString();
        framer = format.framer(opened.content(), opened.gzip, maxLength, skipBom);
        parser.startFile();
        return true;
    }

    private void closeFile() throws IOException {
        FileInput done = input;
        framer = null;
        input = null;
        finishedBytes += done.size;
        done.close();
    }

    @Override
    public SourcePosition position() {
        if (itemOffset < 0) {
            throw new IllegalStateException("no item has been read yet");
        }
        return new SourcePosition(itemFile, itemLine, itemOffset);
    }

    @Override
    public long bytesRead() {
        FileInput current = input;
        return finishedBytes + (current == null ? 0 : current.bytesRead());
    }

    @Override
    public OptionalLong bytesTotal() {
        return OptionalLong.of(totalBytes);
    }

    @Override
    public void close() throws IOException {
        FileInput current = input;
        input = null;
        framer = null;
        if (current != null) {
            current.close();
        }
    }
}
