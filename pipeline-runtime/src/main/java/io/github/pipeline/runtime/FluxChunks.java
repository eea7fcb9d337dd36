package io.github.pipeline.runtime;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * Groups items into {@link Chunk}s whose size a {@link ChunkSizer} decides chunk by chunk, as
 * {@code buffer(n)} does for a fixed n (and as cheaply: one upstream request per chunk, no per-item
 * request). A chunk ends when the items of one request have arrived, or early when its first item has
 * waited the sizer's latency bound (checked as items arrive, at the 2nd, 4th, 8th... item), or at a
 * {@link RailFailure}, or at the end of the input.
 *
 * <p>Demand: a chunk's items are requested upstream only when downstream has asked for a chunk that
 * is not ready yet, so at most one chunk's worth of items is ever requested ahead of the demand.
 * Signals to downstream are serialized by a work-in-progress counter (the usual Reactor drain loop).
 */
final class FluxChunks extends FluxOperator<Object, Chunk> {

    private final ChunkSizer sizer;
    private final boolean indexed;

    FluxChunks(Flux<Object> source, ChunkSizer sizer, boolean indexed) {
        super(source);
        this.sizer = sizer;
        this.indexed = indexed;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Chunk> actual) {
        source.subscribe(new ChunkingSubscriber(actual, sizer, indexed));
    }

    static final class ChunkingSubscriber implements CoreSubscriber<Object>, Subscription {

        private static final AtomicIntegerFieldUpdater<ChunkingSubscriber> WIP =
                AtomicIntegerFieldUpdater.newUpdater(ChunkingSubscriber.class, "wip");
        private static final AtomicLongFieldUpdater<ChunkingSubscriber> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(ChunkingSubscriber.class, "requested");

        private final CoreSubscriber<? super Chunk> actual;
        private final ChunkSizer sizer;
        private final boolean indexed;
        private final Queue<Chunk> ready = Queues.<Chunk>unbounded(8).get();
        private Subscription upstream;

        // written by whoever requests a chunk, only while no item is due; the request itself publishes
        // them to the thread that delivers the items (as Reactor's own operators rely on)
        private long outstanding;
        private Chunk current;
        private long nextIndex;
        private long firstItemNanos;

        /** True when no items are requested upstream: the next chunk may be asked for. */
        private volatile boolean paused = true;
        private volatile boolean done;
        private Throwable error;
        private volatile boolean cancelled;
        private boolean terminated;
        volatile int wip;
        volatile long requested;

        ChunkingSubscriber(CoreSubscriber<? super Chunk> actual, ChunkSizer sizer, boolean indexed) {
            this.actual = actual;
            this.sizer = sizer;
            this.indexed = indexed;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(Object item) {
            Chunk chunk = current;
            chunk.add(item);
            long left = outstanding - 1;
            outstanding = left;
            int count = chunk.size();
            if (count == 1) {
                firstItemNanos = System.nanoTime();
            }
            if (left == 0) {
                flush();
                paused = true;
                drain();
            } else if (item instanceof RailFailure
                    || ((count & (count - 1)) == 0 && System.nanoTime() - firstItemNanos >= sizer.maxLatencyNanos())) {
                flush();
                drain();
            }
        }

        @Override
        public void onError(Throwable t) {
            if (done) {
                Operators.onErrorDropped(t, actual.currentContext());
                return;
            }
            flush();
            error = t;
            done = true;
            drain();
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            flush();
            done = true;
            drain();
        }

        /** Makes the items received so far a chunk of their own, ready to go. */
        private void flush() {
            Chunk chunk = current;
            if (chunk != null && !chunk.isEmpty()) {
                ready.offer(chunk);
                current = outstanding > 0 ? newChunk((int) Math.min(outstanding, Integer.MAX_VALUE)) : null;
            }
        }

        private Chunk newChunk(int capacity) {
            return new Chunk(Math.min(capacity, 1024), indexed ? nextIndex++ : -1);
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
                upstream.cancel();
                if (WIP.getAndIncrement(this) == 0) {
                    ready.clear();
                }
            }
        }

        private void drain() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            while (true) {
                if (cancelled) {
                    ready.clear();
                    return;
                }
                long wanted = requested;
                long emitted = 0;
                while (emitted != wanted) {
                    Chunk chunk = ready.poll();
                    if (chunk == null) {
                        break;
                    }
                    actual.onNext(chunk);
                    emitted++;
                }
                if (emitted != 0 && wanted != Long.MAX_VALUE) {
                    wanted = REQUESTED.addAndGet(this, -emitted);
                }
                if (done && ready.isEmpty()) {
                    if (!terminated) {
                        terminated = true;
                        if (error != null) {
                            actual.onError(error);
                        } else {
                            actual.onComplete();
                        }
                    }
                    return;
                }
                if (wanted > 0 && paused && ready.isEmpty() && !done) {
                    // no item is due from upstream now, so this thread may set up the next chunk
                    paused = false;
                    int size = sizer.size();
                    outstanding = size;
                    current = newChunk(size);
                    upstream.request(size);
                }
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    return;
                }
            }
        }
    }
}
