package io.github.pipeline.runtime;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a process stage counts besides the accounting of every stage: how often its workers were
 * restarted, and how long each worker held at least one item (its busy time: divided by the run's
 * duration, its utilisation). Read by the meters and the profile while the run goes on.
 */
final class WorkerStats {

    final LongAdder restarts = new LongAdder();
    private final AtomicLongArray busyNanos;
    /** Per worker: when it last began to hold items, or 0 while it holds none. */
    private final AtomicLongArray busySince;

    WorkerStats(int workers) {
        this.busyNanos = new AtomicLongArray(workers);
        this.busySince = new AtomicLongArray(workers);
    }

    int workers() {
        return busyNanos.length();
    }

    /** Worker {@code index} (from 0) began to hold items at {@code now}. */
    void busyFrom(int index, long now) {
        busySince.compareAndSet(index, 0, now == 0 ? 1 : now);
    }

    /** Worker {@code index} holds no more items since {@code now}. */
    void idleFrom(int index, long now) {
        long since = busySince.getAndSet(index, 0);
        if (since != 0) {
            busyNanos.addAndGet(index, Math.max(0, now - since));
        }
    }

    /** The busy time of worker {@code index} so far, counting the stretch it is in. */
    long busyNanos(int index) {
        long since = busySince.get(index);
        long done = busyNanos.get(index);
        return since == 0 ? done : done + Math.max(0, System.nanoTime() - since);
    }
}
