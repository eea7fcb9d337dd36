package io.github.pipeline.runtime;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Flux;

/**
 * Measures how long the source was held back by backpressure: the time between its emitting the last
 * item the pipeline had asked for and the pipeline's next request. Without locks and without an atomic
 * instruction per item: the source's (serialized) signals count what it emitted in a plain field and
 * look at the requests only when that count reaches the total they last saw; requests add to the total.
 * Whichever of the two sees the other closes the blocked interval (both publish their change before
 * they look at the other's).
 */
final class DemandClock {

    private static final long NOT_BLOCKED = Long.MIN_VALUE;

    /** All requests added up; {@code Long.MAX_VALUE} once unbounded. */
    private final AtomicLong requested = new AtomicLong();
    private final AtomicLong blockedSince = new AtomicLong(NOT_BLOCKED);
    private final LongAdder blocked = new LongAdder();
    private volatile boolean finished;
    /** Items emitted so far: written and read by the source's signals only. */
    private long emitted;
    /** The requests' total when the source's signals last read it: below it, no need to read again. */
    private long knownRequested;

    /** Watches the requests to and the signals from {@code source}: items, or chunks of them, counted alike. */
    <T> Flux<T> watch(Flux<T> source) {
        return source.doOnNext(item -> onNext())
                .doOnRequest(this::onRequest)
                .doFinally(signal -> finish());
    }

    /** The highest total answered so far, so that answers never go backwards. */
    private final java.util.concurrent.atomic.AtomicLong reported = new java.util.concurrent.atomic.AtomicLong();

    void onRequest(long n) {
        requested.getAndUpdate(r -> r + n < 0 ? Long.MAX_VALUE : r + n);
        close();
    }

    /** An item was emitted; called by the source's signals, one at a time. */
    void onNext() {
        long count = ++emitted;
        if (count < knownRequested) {
            return;
        }
        long total = requested.get();
        knownRequested = total;
        if (count < total || finished) {
            return; // more was asked for meanwhile (or unbounded demand: never held back)
        }
        blockedSince.set(System.nanoTime());
        if (requested.get() > count) {
            close(); // a request came in meanwhile
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
