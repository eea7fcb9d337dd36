package io.github.pipeline.io;

import io.github.pipeline.api.MalformedRecordException;
import io.github.pipeline.api.PositionedReader;
import io.github.pipeline.api.SourcePosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Reads several files at once: each of its threads takes the next file not yet read, reads and parses
 * its records with a {@link FileRecordReader} of its own, and puts them on one bounded queue, which
 * {@link #next()} takes from. Records of one file keep their order; records of different files
 * interleave. A full queue stops the threads (backpressure), so memory is bounded by the queue and one
 * record buffer per thread. A malformed record reaches {@code next()} as the exception it is, in its
 * place, and the thread goes on with the next record; any other failure of a thread is thrown by
 * {@code next()} and ends the reading. {@link #close()} stops and joins the threads.
 *
 * @param <T> the type of the items
 */
final class ConcurrentFilesReader<T> implements PositionedReader<T> {

    /** Entries on the queue per thread. */
    static final int QUEUE_PER_THREAD = 256;
    private static final long JOIN_MILLIS = 10_000;

    private final List<Path> files;
    private final long totalBytes;
    private final Function<Path, FileRecordReader<T>> readers;
    private final BlockingQueue<Entry> queue;
    private final AtomicInteger nextFile = new AtomicInteger();
    private final List<Worker> workers = new ArrayList<>();
    private int running;
    private Entry last;

    /** One queued outcome: an item with where it came from, a failure, or a thread's end. */
    private record Entry(Object item, String file, long line, long offset, Throwable failure) {
    }

    private static final Entry END = new Entry(null, null, 0, 0, null);

    ConcurrentFilesReader(List<Path> files, long totalBytes, int threads, Function<Path, FileRecordReader<T>> readers) {
        this.files = files;
        this.totalBytes = totalBytes;
        this.readers = readers;
        int n = Math.max(1, Math.min(threads, files.size()));
        this.queue = new ArrayBlockingQueue<>(QUEUE_PER_THREAD * n);
        for (int i = 0; i < n; i++) {
            Worker worker = new Worker(i + 1);
            workers.add(worker);
        }
        running = n;
        workers.forEach(Thread::start);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() throws Exception {
        while (running > 0) {
            Entry entry = queue.take();
            if (entry == END) {
                running--;
                continue;
            }
            if (entry.failure != null) {
                if (entry.failure instanceof MalformedRecordException malformed) {
                    throw malformed;
                }
                running = 0;
                if (entry.failure instanceof Error error) {
                    throw error;
                }
                throw entry.failure instanceof Exception e ? e : new IllegalStateException(entry.failure);
            }
            last = entry;
            return (T) entry.item;
        }
        return null;
    }

    @Override
    public SourcePosition position() {
        if (last == null) {
            throw new IllegalStateException("no item has been read yet");
        }
        return new SourcePosition(last.file, last.line, last.offset);
    }

    @Override
    public long bytesRead() {
        long sum = 0;
        for (Worker worker : workers) {
            sum += worker.bytesRead();
        }
        return sum;
    }

    @Override
    public OptionalLong bytesTotal() {
        return OptionalLong.of(totalBytes);
    }

    /** The threads, for tests. */
    List<Thread> threads() {
        return List.copyOf(workers);
    }

    /** Stops the threads (a thread reading a file is interrupted, which closes it) and waits for them. */
    @Override
    public void close() {
        for (Worker worker : workers) {
            worker.interrupt();
        }
        try {
            for (Worker worker : workers) {
                worker.join(JOIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.clear();
    }

    /** Reads whole files, one after another, onto the queue. */
    private final class Worker extends Thread {
        private volatile long finishedBytes;
        private volatile FileRecordReader<T> current;

        Worker(int number) {
            super("file-source-" + number + "-of-" + files.get(0).getFileName());
            setDaemon(true);
        }

        long bytesRead() {
            FileRecordReader<T> reader = current;
            return finishedBytes + (reader == null ? 0 : reader.bytesRead());
        }

        @Override
        public void run() {
            try {
                int index;
                while ((index = nextFile.getAndIncrement()) < files.size()) {
                    if (!readFile(files.get(index))) {
                        return; // the failure is queued: next() throws it and ends the reading
                    }
                }
                queue.put(END);
            } catch (InterruptedException stopped) {
                // closed: nothing reads the queue any more
            }
        }

        /** Queues the file's records; {@code false} if it failed beyond a malformed record. */
        private boolean readFile(Path file) throws InterruptedException {
            FileRecordReader<T> reader;
            try {
                reader = readers.apply(file);
            } catch (RuntimeException | Error failure) {
                // queue the failure: a worker that died silently would leave next() waiting forever
                queue.put(new Entry(null, null, 0, 0, failure));
                return false;
            }
            current = reader;
            try {
                while (true) {
                    T item;
                    try {
                        item = reader.next();
                    } catch (MalformedRecordException malformed) {
                        queue.put(new Entry(null, null, 0, 0, malformed));
                        continue;
                    }
                    if (item == null) {
                        return true;
                    }
                    SourcePosition at = reader.position();
                    queue.put(new Entry(item, at.source(), at.line(), at.offset(), null));
                }
            } catch (java.io.IOException | RuntimeException | Error failure) {
                queue.put(new Entry(null, null, 0, 0, failure));
                return false;
            } finally {
                current = null; // before adding its bytes, so bytesRead() never counts the file twice
                finishedBytes += reader.bytesTotal().orElse(0);
                try {
                    reader.close();
                } catch (java.io.IOException ignored) {
                    // the file was read, or the reading is over: nothing is lost by a failed close
                }
            }
        }
    }
}
