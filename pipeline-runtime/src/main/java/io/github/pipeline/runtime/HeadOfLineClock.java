package io.github.pipeline.runtime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures head-of-line blocking of an ordered merge: the time it held results that were ready on some
 * rails while the result that comes first in source order was still being worked on, and downstream
 * was asking for more. The clock is read only when a stall begins and when it ends, not per item.
 *
 * <p>One merge writes it, one drain at a time (its work-in-progress counter orders the drains), so the
 * totals need no atomic update; any thread may read them.
 */
final class HeadOfLineClock {

    private static final long NOT_STALLED = Long.MIN_VALUE;

    /** Whether an ordered merge reports here: a rail segment that keeps source order ends at this stage. */
    private volatile boolean attached;
    private volatile long stalledSince = NOT_STALLED;
    private volatile long stalledNanos;
    private volatile long stalls;
    /** The highest total answered so far, so that answers never go backwards. */
    private final AtomicLong reported = new AtomicLong();

    /** Notes that an ordered merge reports to this clock. */
    void attach() {
        attached = true;
    }

    /** Whether an ordered merge reports to this clock. */
    boolean isAttached() {
        return attached;
    }

    /** The merge has results ready and cannot emit any: a stall begins, unless one is under way. */
    void stalled() {
        if (stalledSince == NOT_STALLED) {
            stalledSince = System.nanoTime();
            stalls = stalls + 1; // single writer, see the class comment
        }
    }

    /** The merge emitted, or stopped: the stall under way, if any, ends. */
    void resumed() {
        long since = stalledSince;
        if (since != NOT_STALLED) {
            stalledNanos = stalledNanos + (System.nanoTime() - since);
            stalledSince = NOT_STALLED;
        }
    }

    /** The number of stalls so far, the one under way included. */
    long stalls() {
        return stalls;
    }

    /**
     * The time stalled so far, the stall under way included. Never less than an earlier answer (a read
     * between the end of a stall and its addition to the total would otherwise dip).
     */
    long stalledNanos() {
        long total;
        long since;
        do { // a stall that ends meanwhile moves into the total first: read again rather than count it twice
            total = stalledNanos;
            since = stalledSince;
        } while (total != stalledNanos);
        long now = total + (since == NOT_STALLED ? 0 : Math.max(0, System.nanoTime() - since));
        return reported.accumulateAndGet(now, Math::max);
    }
}
