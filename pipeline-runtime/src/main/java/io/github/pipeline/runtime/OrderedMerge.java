package io.github.pipeline.runtime;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.ToLongFunction;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.publisher.ParallelFlux;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * Merges the rails of an ordered segment back into source order, and measures how long it was held up
 * by an earlier result that was not ready yet (head-of-line blocking) on a {@link HeadOfLineClock}.
 *
 * <p>Each value carries its position in the source ({@link Indexed#index()}, {@link Chunk#index}); each
 * rail delivers its values in increasing position, which the split of the source into rails guarantees.
 * The merge emits the value with the lowest position among the heads of the rails as soon as no rail can
 * deliver a lower one: when every rail that has not completed shows a head (as Reactor's
 * {@code ParallelFlux.ordered} does), or earlier, when the head is known to be next:
 * <ul>
 *   <li>with at most one value per position (chunks; items through map, filter and peek stages), the
 *       head whose position follows the last one emitted;</li>
 *   <li>with several values per position (a flatMap's outputs share their item's position), a head at the
 *       last position emitted or the one after it, once the rail that emitted the last position has moved
 *       past it (shows a later head, or has completed), since only that rail can still deliver it.</li>
 * </ul>
 * Positions that never reach the merge (items filtered out, skipped) leave gaps, and past a gap the
 * merge waits for every rail to show a head.
 *
 * <p>Memory: each rail holds at most {@code prefetch} values here, its head included: a rail is asked
 * for more only as its values are emitted, so a slow item stalls the merge and, through the rails'
 * buffers, the source, instead of growing a buffer. A stall is counted while downstream asks for more,
 * some rail has a value ready and none can be emitted; waiting for downstream is not a stall.
 *
 * <p>Errors: the first error of any rail cancels the others and is signalled at once (the engine sends
 * failures down the rails as values, so this is only for its own faults). Cancelling cancels every rail
 * and drops the values held.
 */
final class OrderedMerge extends Flux<Object> {

    private final ParallelFlux<?> source;
    private final ToLongFunction<Object> position;
    private final boolean onePerPosition;
    private final int prefetch;
    private final HeadOfLineClock clock;

    /**
     * @param source         the rails
     * @param position       the position of a value in the source
     * @param onePerPosition whether each position has at most one value (chunks) or may have several
     * @param prefetch       values each rail may hold here
     * @param clock          where stalls are measured
     */
    OrderedMerge(ParallelFlux<?> source, ToLongFunction<Object> position, boolean onePerPosition, int prefetch,
                 HeadOfLineClock clock) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, got " + prefetch);
        }
        this.source = source;
        this.position = position;
        this.onePerPosition = onePerPosition;
        this.prefetch = prefetch;
        this.clock = clock;
        clock.attach();
    }

    /**
     * Merges {@link Indexed} items.
     *
     * @param onePerPosition whether every stage on the rails turns one item into at most one (no fan-out)
     */
    static Flux<Object> ofItems(ParallelFlux<Object> rails, boolean onePerPosition, int prefetch,
                                HeadOfLineClock clock) {
        return new OrderedMerge(rails, item -> ((Indexed) item).index(), onePerPosition, prefetch, clock);
    }

    /** Merges chunks, one per position. */
    static Flux<Chunk> ofChunks(ParallelFlux<Chunk> rails, int prefetch, HeadOfLineClock clock) {
        return new OrderedMerge(rails, chunk -> ((Chunk) chunk).index, true, prefetch, clock).map(Chunk.class::cast);
    }

    @Override
    public void subscribe(CoreSubscriber<? super Object> actual) {
        Merger merger = new Merger(actual, source.parallelism(), this);
        actual.onSubscribe(merger);
        source.subscribe(merger.rails);
    }

    /** The subscription downstream sees; drains the rails' queues in order. */
    static final class Merger implements Subscription {

        private static final AtomicIntegerFieldUpdater<Merger> WIP =
                AtomicIntegerFieldUpdater.newUpdater(Merger.class, "wip");
        private static final AtomicLongFieldUpdater<Merger> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(Merger.class, "requested");
        private static final AtomicReferenceFieldUpdater<Merger, Throwable> ERROR =
                AtomicReferenceFieldUpdater.newUpdater(Merger.class, Throwable.class, "error");

        private final CoreSubscriber<? super Object> actual;
        private final ToLongFunction<Object> position;
        private final boolean onePerPosition;
        private final HeadOfLineClock clock;
        final Rail[] rails;
        /** Per rail, the value taken from its queue and not emitted yet; touched only in {@link #drain}. */
        private final Object[] heads;
        private long emitted;
        /** The position of the last value emitted, -1 before the first; touched only in drain. */
        private long lastPosition = -1;
        /** The rail that emitted it, -1 before the first. */
        private int lastRail = -1;
        private boolean terminated;

        volatile int wip;
        volatile long requested;
        volatile Throwable error;
        private volatile boolean cancelled;

        Merger(CoreSubscriber<? super Object> actual, int parallelism, OrderedMerge parent) {
            this.actual = actual;
            this.position = parent.position;
            this.onePerPosition = parent.onePerPosition;
            this.clock = parent.clock;
            this.rails = new Rail[parallelism];
            this.heads = new Object[parallelism];
            for (int i = 0; i < parallelism; i++) {
                rails[i] = new Rail(this, parent.prefetch);
            }
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(REQUESTED, this, n);
                drain();
            }
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                cancelRails();
                if (WIP.getAndIncrement(this) == 0) {
                    clear();
                }
            }
        }

        private void cancelRails() {
            for (Rail rail : rails) {
                rail.cancel();
            }
        }

        private void clear() {
            clock.resumed();
            for (int i = 0; i < rails.length; i++) {
                heads[i] = null;
                rails[i].queue.clear();
            }
        }

        void onRailError(Throwable e) {
            if (ERROR.compareAndSet(this, null, e)) {
                drain();
            } else {
                Operators.onErrorDropped(e, actual.currentContext());
            }
        }

        void drain() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            while (true) {
                long wanted = requested;
                long e = emitted;
                while (true) {
                    if (cancelled) {
                        clear();
                        return;
                    }
                    if (terminated) {
                        return;
                    }
                    Throwable failure = error;
                    if (failure != null) {
                        terminated = true;
                        cancelRails();
                        clear();
                        actual.onError(failure);
                        return;
                    }
                    int next = next();
                    if (next == ALL_DONE) {
                        terminated = true;
                        clock.resumed();
                        actual.onComplete();
                        return;
                    }
                    if (next < 0) {
                        if (next == BLOCKED && e != wanted) {
                            clock.stalled();
                        }
                        break;
                    }
                    if (e == wanted) {
                        clock.resumed(); // a value could go: from here on it is downstream that waits
                        break;
                    }
                    clock.resumed();
                    Object value = heads[next];
                    heads[next] = null;
                    lastPosition = position.applyAsLong(value);
                    lastRail = next;
                    actual.onNext(value);
                    rails[next].emitted();
                    e++;
                }
                emitted = e;
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        /** {@link #next} found nothing to emit and nothing ready: the rails are working, or have nothing. */
        private static final int EMPTY = -1;
        /** {@link #next} found values ready, none of which may be emitted yet: head-of-line blocking. */
        private static final int BLOCKED = -2;
        /** {@link #next} found every rail completed and emptied. */
        private static final int ALL_DONE = -3;

        /**
         * Takes a head from each rail that has none and picks the one to emit: the rail whose head comes
         * first, if no rail can still deliver an earlier value; else {@link #EMPTY}, {@link #BLOCKED} or
         * {@link #ALL_DONE}.
         */
        private int next() {
            int lowest = -1;
            long lowestPosition = Long.MAX_VALUE;
            boolean waiting = false; // some rail has no head and has not completed
            for (int i = 0; i < rails.length; i++) {
                Object head = heads[i];
                if (head == null) {
                    Rail rail = rails[i];
                    boolean done = rail.done;
                    head = rail.queue.poll();
                    if (head == null) {
                        waiting |= !done;
                        continue;
                    }
                    heads[i] = head;
                }
                long p = position.applyAsLong(head);
                if (p < lowestPosition) {
                    lowestPosition = p;
                    lowest = i;
                }
            }
            if (lowest < 0) {
                return waiting ? EMPTY : ALL_DONE;
            }
            if (!waiting || isNext(lowest, lowestPosition)) {
                return lowest;
            }
            return BLOCKED;
        }

        /** Whether no rail can deliver a value before {@code p}, the lowest head, on rail {@code rail}. */
        private boolean isNext(int rail, long p) {
            if (onePerPosition) {
                return p == lastPosition + 1;
            }
            if (p != lastPosition && p != lastPosition + 1) {
                return false;
            }
            // only the rail that emitted lastPosition may still deliver more values at it
            return lastRail < 0 || lastRail == rail || heads[lastRail] != null || rails[lastRail].isDoneAndEmpty();
        }
    }

    /** One rail's subscriber: queues its values for the merger and asks for more as they are emitted. */
    static final class Rail implements CoreSubscriber<Object> {

        private static final AtomicReferenceFieldUpdater<Rail, Subscription> UPSTREAM =
                AtomicReferenceFieldUpdater.newUpdater(Rail.class, Subscription.class, "upstream");

        private final Merger merger;
        private final int prefetch;
        private final int limit;
        final Queue<Object> queue;
        volatile Subscription upstream;
        volatile boolean done;
        /** Values emitted since the last request upstream; touched only in the merger's drain. */
        private int consumed;

        Rail(Merger merger, int prefetch) {
            this.merger = merger;
            this.prefetch = prefetch;
            this.limit = prefetch - (prefetch >> 2);
            this.queue = Queues.get(prefetch).get();
        }

        @Override
        public Context currentContext() {
            return merger.actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.setOnce(UPSTREAM, this, s)) {
                s.request(prefetch);
            }
        }

        @Override
        public void onNext(Object value) {
            if (!queue.offer(value)) {
                Operators.terminate(UPSTREAM, this);
                merger.onRailError(Exceptions.failWithOverflow(
                        "a rail delivered more than the " + prefetch + " values the ordered merge asked for"));
                return;
            }
            merger.drain();
        }

        @Override
        public void onError(Throwable t) {
            done = true;
            merger.onRailError(t);
        }

        @Override
        public void onComplete() {
            done = true;
            merger.drain();
        }

        /** A value of this rail left the merge: asks for more once a batch of them has. */
        void emitted() {
            int c = consumed + 1;
            if (c == limit) {
                consumed = 0;
                upstream.request(c);
            } else {
                consumed = c;
            }
        }

        boolean isDoneAndEmpty() {
            return done && queue.isEmpty();
        }

        void cancel() {
            Operators.terminate(UPSTREAM, this);
        }
    }
}
