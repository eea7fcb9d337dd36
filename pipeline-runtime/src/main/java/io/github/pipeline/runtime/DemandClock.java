package io.github.pipeline.runtime;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Flux;

/**
 * Measures how long the source was held back by backpressure: the time between its emitting the last
 * item the pipeline had asked for and the pipeline's next request. Without locks: the source thread
 * counts the outstanding demand down, requests count it up, and whichever of the two sees the other
 * closes the blocked interval (both publish their change before they look at the other's).
 */
final class DemandClock {

    private static final long NOT_BLOCKED = Long.MIN_VALUE;

    private final AtomicLong demand = new AtomicLong();
    private final AtomicLong blockedSince = new AtomicLong(NOT_BLOCKED);
    private final LongAdder blocked = new LongAdder();
    private volatile boolean finished;

    /** Watches the requests to and the items from {@code source}. */
    Flux<Object> watch(Flux<Object> source) {
        return source.doOnNext(item -> onNext())
                .doOnRequest(this::onRequest)
                .doFinally(signal -> finish());
    }

    /** The highest total answered so far, so that answers never go backwards. */
    private final java.util.concurrent.atomic.AtomicLong reported = new java.util.concurrent.atomic.AtomicLong();

    void onRequest(long n) {
        demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n);
        close();
    }

    void onNext() {
        if (demand.get() == Long.MAX_VALUE) {
            return; // unbounded demand: never held back
        }
        if (demand.decrementAndGet() == 0 && !finished) {
            blockedSince.set(System.nanoTime());
            if (demand.get() > 0) {
                close(); // a request came in meanwhile
            }
        }
    }

    /** The source has ended: whatever interval is open closes, and no new one opens. */
    void finish() {
        finished = true;
        close();
    }

    private void close() {
        long since = blockedSince.get();
        if (since != NOT_BLOCKED && blockedSince.compareAndSet(since, NOT_BLOCKED)) {
            blocked.add(System.nanoTime() - since);
        }
    }

    /**
     * The time the source was held back so far, the interval under way included. Never less than an
     * earlier answer: a read between a closing interval's end mark and its addition to the total would
     * otherwise dip, which a metrics backend takes for a counter reset.
     */
    long blockedNanos() {
        long since = blockedSince.get();
        long now = blocked.sum() + (since == NOT_BLOCKED ? 0 : Math.max(0, System.nanoTime() - since));
        return reported.accumulateAndGet(now, Math::max);
    }
}
