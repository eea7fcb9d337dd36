package io.github.pipeline.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.publisher.MonoSink;

/**
 * One item on its way through a {@link WorkerPool}: its line, the worker that holds it, and the
 * subscriber waiting for its answer. It ends exactly once: answered, failed, or dropped because the
 * stage stopped (its subscriber was cancelled).
 */
final class WorkerRequest {

    final Object item;
    final String line;
    private final MonoSink<Object> answer;
    private final AtomicBoolean done = new AtomicBoolean();

    /** Guarded by the pool: the worker holding the request, and the generation of its process. */
    ProcessWorker worker;
    int generation;
    /** Guarded by the pool: when the worker could begin the item (written, and first in its queue), or 0. */
    long begunNanos;
    /** Guarded by the pool: the timer of the per-item timeout, once begun. */
    Disposable timeout;
    /** Set by the worker's writer thread once the line is written. */
    volatile boolean written;

    WorkerRequest(Object item, String line, MonoSink<Object> answer) {
        this.item = item;
        this.line = line;
        this.answer = answer;
    }

    boolean isDone() {
        return done.get();
    }

    /** Emits the answer, unless the request has already ended. */
    void complete(Object value) {
        if (done.compareAndSet(false, true)) {
            answer.success(value);
        }
    }

    /** Fails the request, unless it has already ended. */
    void fail(Throwable error) {
        if (done.compareAndSet(false, true)) {
            answer.error(error);
        }
    }

    /** Ends the request without a signal: its subscriber has gone (cancelled), or the stage stopped. */
    void drop() {
        done.set(true);
    }
}
