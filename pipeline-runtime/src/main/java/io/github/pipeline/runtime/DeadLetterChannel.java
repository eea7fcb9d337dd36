package io.github.pipeline.runtime;

import io.github.pipeline.api.CheckpointableWriter;
import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.SinkWriter;
import io.github.pipeline.api.StageFailedException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The dead-letter sink of one stage for one run. Rails send to it concurrently; a thread of its own
 * ({@code pipeline-<p>-deadletters-<stage>}) hands the dead letters to the sink's writer one at a time,
 * so a dead-letter sink that writes a file or calls a service never does its I/O on a CPU rail.
 *
 * <p>The hand-off holds at most {@link #CAPACITY} letters: a stage that fails items faster than its
 * dead-letter sink takes them waits for room (backpressure, like any other slow consumer) rather than
 * growing memory. A failing dead-letter sink fails the run: an item must never be lost silently because
 * the place meant to keep it is broken.
 */
final class DeadLetterChannel {

    /** Letters waiting for the writer thread, at most. */
    static final int CAPACITY = 256;

    /** How long an aborted run waits for a dead-letter sink's call to end once interrupted. */
    static final Duration ABORT_WAIT = Duration.ofSeconds(5);

    /** Marks the end of the letters: the writer thread stops when it takes it. */
    private static final DeadLetter END = new DeadLetter("", "", null, 0, new IllegalStateException("end"));

    private final String pipeline;
    private final String stage;
    private final SinkWriter<DeadLetter, ?> writer;
    /** Dead letters, and the barriers of checkpoints between them. */
    private final BlockingQueue<Object> letters = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread;
    /** Why the writer failed, once it has; read by senders to fail at once. */
    private volatile Throwable writerFailure;
    /** Set when the run ends: senders stop waiting for room. */
    private volatile boolean closed;

    DeadLetterChannel(String pipeline, String stage, SinkWriter<DeadLetter, ?> writer, RunResources resources) {
        this.pipeline = pipeline;
        this.stage = stage;
        this.writer = writer;
        this.thread = resources.startThread("deadletters-" + stage, this::writeLetters);
    }

    /**
     * Hands a dead letter to the writer thread, waiting for room if the hand-off is full.
     *
     * @throws StageFailedException if the dead-letter sink has failed, or the run ended while waiting
     */
    void send(DeadLetter letter) {
        try {
            while (!letters.offer(letter, 10, TimeUnit.MILLISECONDS)) {
                checkUsable(letter);
            }
            checkUsable(letter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailedException(pipeline, stage, letter.item(),
                    new PipelineCancelledException(pipeline));
        }
    }

    private void checkUsable(DeadLetter letter) {
        Throwable failure = writerFailure;
        if (failure != null) {
            throw sinkFailed(letter.item(), failure);
        }
        if (closed) {
            throw new StageFailedException(pipeline, stage, letter.item(), new PipelineCancelledException(pipeline));
        }
    }

    private void writeLetters() {
        try {
            for (Object next = letters.take(); next != END; next = letters.take()) {
                if (next instanceof Barrier barrier) {
                    barrier.pass();
                    continue;
                }
                if (writerFailure != null) {
                    continue; // the run is failing; drain so no sender waits for room
                }
                try {
                    writer.accept((DeadLetter) next);
                } catch (Throwable e) {
                    writerFailure = e;
                }
            }
        } catch (InterruptedException e) {
            // the run is being torn down: abort() follows
        }
    }

    /**
     * A checkpoint's barrier: once the writer thread takes it, every letter sent before it has been
     * handed to the sink; a sink that takes checkpoints then makes them durable (a Kafka producer flushes).
     */
    private final class Barrier {
        final CompletableFuture<Void> passed = new CompletableFuture<>();

        void pass() {
            Throwable failure = writerFailure;
            if (failure != null) {
                passed.completeExceptionally(sinkFailed(null, failure));
                return;
            }
            try {
                if (writer instanceof CheckpointableWriter<?, ?> checkpointable) {
                    checkpointable.checkpoint();
                }
                passed.complete(null);
            } catch (Throwable e) {
                writerFailure = e;
                passed.completeExceptionally(sinkFailed(null, e));
            }
        }
    }

    /**
     * Waits until every letter sent so far has been handed to the sink and, when the sink takes
     * checkpoints, made durable: a checkpoint's call, once the run has drained, so that no dead letter of an
     * item the checkpoint covers is still only in memory. Returns early if the run ends meanwhile.
     *
     * @throws StageFailedException if the dead-letter sink failed
     * @throws TimeoutException if it takes longer than {@code timeout}
     */
    void checkpoint(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Barrier barrier = new Barrier();
        while (!letters.offer(barrier, 10, TimeUnit.MILLISECONDS)) {
            if (closed) {
                return;
            }
            overdue(deadline, timeout);
        }
        while (true) {
            try {
                barrier.passed.get(10, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                throw (StageFailedException) e.getCause();
            } catch (TimeoutException e) {
                if (closed) {
                    return;
                }
                overdue(deadline, timeout);
            }
        }
    }

    private void overdue(long deadline, Duration timeout) throws TimeoutException {
        if (System.nanoTime() > deadline) {
            throw new TimeoutException("the dead-letter sink of stage '" + stage + "' did not take its letters within "
                    + timeout);
        }
    }

    /**
     * Waits until every letter sent is written, then completes the writer. Called once, after the last
     * send of a successful run.
     *
     * @throws StageFailedException if the dead-letter sink failed on a letter or on completing
     */
    void complete() throws Exception {
        stopWriterThread();
        Throwable failure = writerFailure;
        if (failure != null) {
            throw sinkFailed(null, failure);
        }
        writer.complete();
    }

    /**
     * Stops the writer thread without writing the letters still queued (interrupting a call under way,
     * waiting for it at most {@link #ABORT_WAIT}), then aborts the writer.
     */
    void abort(Throwable cause) {
        closed = true;
        letters.clear();
        // a sink stuck in a call (a hung remote queue) is interrupted; one that ignores interrupts is
        // left behind after ABORT_WAIT rather than hanging the end of a failed or cancelled run
        thread.interrupt();
        boolean interrupted = false;
        try {
            thread.join(ABORT_WAIT.toMillis());
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (thread.isAlive()) {
            cause.addSuppressed(new IllegalStateException("the dead-letter sink of stage '" + stage
                    + "' did not stop within " + ABORT_WAIT.toSeconds() + " s of being interrupted"));
        }
        writer.abort(cause);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the writer thread has written every letter and stopped. */
    private void stopWriterThread() {
        closed = true;
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                if (letters.offer(END, 10, TimeUnit.MILLISECONDS)) {
                    thread.join();
                }
            } catch (InterruptedException e) {
                interrupted = true;
                thread.interrupt();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private StageFailedException sinkFailed(Object item, Throwable failure) {
        return new StageFailedException(pipeline, stage, item,
                new IllegalStateException("the dead-letter sink of stage '" + stage + "' failed: " + failure, failure));
    }
}
