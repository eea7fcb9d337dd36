package io.github.pipeline.runtime;

import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.SinkWriter;
import io.github.pipeline.api.StageFailedException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

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
    private final BlockingQueue<DeadLetter> letters = new ArrayBlockingQueue<>(CAPACITY);
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
            for (DeadLetter letter = letters.take(); letter != END; letter = letters.take()) {
                if (writerFailure != null) {
                    continue; // the run is failing; drain so no sender waits for room
                }
                try {
                    writer.accept(letter);
                } catch (Throwable e) {
                    writerFailure = e;
                }
            }
        } catch (InterruptedException e) {
            // the run is being torn down: abort() follows
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
