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
    /** Asks the chunker to pass partly filled chunks on while a checkpoint drains the run, or {@code null}. */
    private final Checkpointer checkpointer;

    FluxChunks(Flux<Object> source, ChunkSizer sizer, boolean indexed) {
        this(source, sizer, indexed, null);
    }

    /**
     * Chunks that a checkpointer can flush: when it is not {@code null}, each item is added under the
     * chunker's lock, so {@link ChunkingSubscriber#flushPartial()} may run from the checkpointer's thread.
     */
    FluxChunks(Flux<Object> source, ChunkSizer sizer, boolean indexed, Checkpointer checkpointer) {
        super(source);
        this.sizer = sizer;
        this.indexed = indexed;
        this.checkpointer = checkpointer;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Chunk> actual) {
        ChunkingSubscriber chunker = new ChunkingSubscriber(actual, sizer, indexed, checkpointer != null);
        if (checkpointer != null) {
            checkpointer.register(chunker);
        }
        source.subscribe(chunker);
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
        /** Whether items are added under this chunker's lock, so that a checkpoint may flush it. */
        private final boolean flushable;
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

        ChunkingSubscriber(CoreSubscriber<? super Chunk> actual, ChunkSizer sizer, boolean indexed, boolean flushable) {
            this.actual = actual;
            this.sizer = sizer;
            this.indexed = indexed;
            this.flushable = flushable;
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
            if (flushable) {
                synchronized (this) {
                    add(item);
                }
            } else {
                add(item);
            }
        }

        /**
         * Passes the items of the chunk being filled on now, without waiting for the rest of the items
         * requested for it: a checkpoint drains the run while the source holds back. Any thread; only for a
         * chunker made flushable.
         */
        void flushPartial() {
            synchronized (this) {
                // items are due only while not paused; a chunk being set up by drain() is still empty
                if (paused || current == null || current.isEmpty()) {
                    return;
                }
                flush();
            }
            drain();
        }

        private void add(Object item) {
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
            if (flushable) {
                synchronized (this) {
                    end(t);
                }
            } else {
                end(t);
            }
            drain();
        }

        @Override
        public void onComplete() {
            if (flushable) {
                synchronized (this) {
                    end(null);
                }
            } else {
                end(null);
            }
            drain();
        }

        /** Sends the chunk being filled on and marks the input done, with its error if it failed. */
        private void end(Throwable failure) {
            if (done) {
                if (failure != null) {
                    Operators.onErrorDropped(failure, actual.currentContext());
                }
                return;
            }
            flush();
            error = failure;
            done = true;
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
                    // no item is due from upstream now, so this thread may set up the next chunk; a
                    // checkpoint's flushPartial() leaves current alone meanwhile: it sees paused, or an
                    // empty chunk until items of the request arrive (through onNext, under the lock)
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
