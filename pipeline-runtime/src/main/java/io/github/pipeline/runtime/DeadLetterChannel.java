package io.github.pipeline.runtime;

import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.SinkWriter;
import io.github.pipeline.api.StageFailedException;

/**
 * The dead-letter sink of one stage for one run. Rails send to it concurrently; it hands the dead
 * letters to the sink's writer one at a time. A failing dead-letter sink fails the run: an item must
 * never be lost silently because the place meant to keep it is broken.
 */
final class DeadLetterChannel {

    private final String pipeline;
    private final String stage;
    private final SinkWriter<DeadLetter, ?> writer;

    DeadLetterChannel(String pipeline, String stage, SinkWriter<DeadLetter, ?> writer) {
        this.pipeline = pipeline;
        this.stage = stage;
        this.writer = writer;
    }

    synchronized void send(DeadLetter letter) {
        try {
            writer.accept(letter);
        } catch (Throwable e) {
            throw new StageFailedException(pipeline, stage, letter.item(),
                    new IllegalStateException("the dead-letter sink of stage '" + stage + "' failed: " + e, e));
        }
    }

    synchronized void complete() throws Exception {
        writer.complete();
    }

    synchronized void abort(Throwable cause) {
        writer.abort(cause);
    }
}
