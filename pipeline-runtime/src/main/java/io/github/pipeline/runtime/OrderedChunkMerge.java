package io.github.pipeline.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.publisher.ParallelFlux;
import reactor.util.context.Context;

/**
 * Merges the chunks of ordered rails back into chunk order, using their indexes: chunk {@code k} goes
 * on as soon as it and every chunk before it have arrived. Reactor's {@code ParallelFlux.ordered} cannot
 * know that indexes have no gaps, so it emits the smallest chunk only once every rail has one waiting
 * (or has completed): the last chunks of a paused source would wait there for ever, and a checkpoint
 * could never drain the run. Chunk indexes have no gaps ({@link FluxChunks} numbers every chunk it sends
 * on), except perhaps after the last chunk, so this merge needs no such rule; at the end, whatever has
 * arrived goes on in index order.
 *
 * <p>Memory: each rail is asked for {@code prefetch} chunks, and asked for one more each time one of its
 * chunks goes on, so at most {@code rails x prefetch} chunks wait here. A rail holding the next chunk
 * always has room: every chunk it sent before that one has a smaller index and has gone on.
 */
final class OrderedChunkMerge extends Flux<Chunk> {

    private final ParallelFlux<Chunk> rails;
    private final int prefetch;

    OrderedChunkMerge(ParallelFlux<Chunk> rails, int prefetch) {
        this.rails = rails;
        this.prefetch = prefetch;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Chunk> actual) {
        Merge merge = new Merge(actual, rails.parallelism(), prefetch);
        actual.onSubscribe(merge);
        rails.subscribe(merge.rails);
    }

    /** A chunk that has arrived, and the rail it came from. */
    private record Arrived(Chunk chunk, Rail rail) {
    }

    static final class Merge implements Subscription {

        private static final AtomicIntegerFieldUpdater<Merge> WIP =
                AtomicIntegerFieldUpdater.newUpdater(Merge.class, "wip");
        private static final AtomicLongFieldUpdater<Merge> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(Merge.class, "requested");

        private final CoreSubscriber<? super Chunk> actual;
        private final Rail[] rails;
        private final Map<Long, Arrived> arrived = new ConcurrentHashMap<>();
        private final AtomicInteger railsDone = new AtomicInteger();
        private final AtomicReference<Throwable> error = new AtomicReference<>();
        /** The index of the next chunk to go on. Drain loop only. */
        private long next;
        private boolean terminated;
        private volatile boolean cancelled;
        volatile int wip;
        volatile long requested;

        Merge(CoreSubscriber<? super Chunk> actual, int railCount, int prefetch) {
            this.actual = actual;
            this.rails = new Rail[railCount];
            for (int i = 0; i < railCount; i++) {
                rails[i] = new Rail(this, prefetch);
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
                    arrived.clear();
                }
            }
        }

        private void cancelRails() {
            for (Rail rail : rails) {
                rail.cancel();
            }
        }

        void onRailNext(Rail rail, Chunk chunk) {
            arrived.put(chunk.index, new Arrived(chunk, rail));
            drain();
        }

        void onRailError(Throwable e) {
            if (error.compareAndSet(null, e)) {
                cancelRails();
            } else {
                Operators.onErrorDropped(e, actual.currentContext());
            }
            drain();
        }

        void onRailComplete() {
            railsDone.incrementAndGet();
            drain();
        }

        private void drain() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            while (true) {
                if (cancelled) {
                    arrived.clear();
                    return;
                }
                if (terminated) {
                    return;
                }
                Throwable failure = error.get();
                if (failure != null) {
                    terminated = true;
                    arrived.clear();
                    actual.onError(failure);
                    return;
                }
                boolean allDone = railsDone.get() == rails.length;
                long wanted = requested;
                long emitted = 0;
                while (emitted != wanted) {
                    Arrived chunk = arrived.remove(next);
                    if (chunk == null) {
                        if (allDone && !arrived.isEmpty()) {
                            next = arrived.keySet().stream().mapToLong(Long::longValue).min().getAsLong();
                            continue;
                        }
                        break;
                    }
                    next++;
                    actual.onNext(chunk.chunk());
                    chunk.rail().replenish();
                    emitted++;
                }
                if (emitted != 0 && wanted != Long.MAX_VALUE) {
                    REQUESTED.addAndGet(this, -emitted);
                }
                if (allDone && arrived.isEmpty()) {
                    terminated = true;
                    actual.onComplete();
                    return;
                }
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    return;
                }
            }
        }
    }

    /** Subscribes to one rail: takes {@code prefetch} chunks ahead, one more for each that goes on. */
    static final class Rail implements CoreSubscriber<Chunk> {

        private static final AtomicReferenceFieldUpdater<Rail, Subscription> UPSTREAM =
                AtomicReferenceFieldUpdater.newUpdater(Rail.class, Subscription.class, "upstream");

        private final Merge merge;
        private final int prefetch;
        volatile Subscription upstream;

        Rail(Merge merge, int prefetch) {
            this.merge = merge;
            this.prefetch = prefetch;
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.setOnce(UPSTREAM, this, s)) {
                s.request(prefetch);
            }
        }

        @Override
        public void onNext(Chunk chunk) {
            merge.onRailNext(this, chunk);
        }

        @Override
        public void onError(Throwable t) {
            merge.onRailError(t);
        }

        @Override
        public void onComplete() {
            merge.onRailComplete();
        }

        @Override
        public Context currentContext() {
            return merge.actual.currentContext();
        }

        void replenish() {
            upstream.request(1);
        }

        void cancel() {
            Operators.terminate(UPSTREAM, this);
        }
    }
}
