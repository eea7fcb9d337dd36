package io.github.pipeline.runtime;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * Groups items into {@link Chunk}s whose size a {@link ChunkSizer} decides chunk by chunk, as
 * {@code buffer(n)} does for a fixed n (and as cheaply: one upstream request per chunk, no per-item
 * request). A chunk ends when the items of one request have arrived, or early when its first item has
 * waited the sizer's latency bound (checked as items arrive, at the 2nd, 4th, 8th... item, and, when the
 * input stalls, by the {@link ChunkSweeper}), or at a {@link RailFailure}, or at the end of the input.
 *
 * <p>Items are added under the chunker's lock (uncontended but for the sweeper's rare look and a
 * checkpoint's drain, about 10 ns an item), so the sweeper or a checkpointer may pass a partly filled
 * chunk on from their own threads.
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
     * Chunks that a checkpointer, when it is not {@code null}, flushes as it drains the run
     * ({@link ChunkingSubscriber#flushPartial()}, from the checkpointer's thread).
     */
    FluxChunks(Flux<Object> source, ChunkSizer sizer, boolean indexed, Checkpointer checkpointer) {
        super(source);
        this.sizer = sizer;
        this.indexed = indexed;
        this.checkpointer = checkpointer;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Chunk> actual) {
        ChunkingSubscriber chunker = new ChunkingSubscriber(actual, sizer, indexed, ChunkSweeper.SHARED);
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
        /** Passes a partly filled chunk on when the input stalls; watches this chunker until it ends. */
        private final ChunkSweeper sweeper;
        private Subscription upstream;

        // guarded by this chunker's lock: items are added under it, and a chunk is set up or passed on
        // early under it
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

        ChunkingSubscriber(CoreSubscriber<? super Chunk> actual, ChunkSizer sizer, boolean indexed,
                           ChunkSweeper sweeper) {
            this.actual = actual;
            this.sizer = sizer;
            this.indexed = indexed;
            this.sweeper = sweeper;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                sweeper.register(this);
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(Object item) {
            boolean full;
            synchronized (this) {
                full = add(item);
            }
            if (full) {
                drain();
            }
        }

        /**
         * Passes the items of the chunk being filled on now, without waiting for the rest of the items
         * requested for it: a checkpoint drains the run while the source holds back. Any thread.
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

        /**
         * Passes the chunk being filled on if its first item has waited the latency bound at {@code now}
         * (the sweeper's clock); answers when to look again: when the open chunk's first item reaches its
         * bound, or one bound from now when no chunk is open. Any thread.
         */
        long passOnIfLate(long now) {
            synchronized (this) {
                if (paused || current == null || current.isEmpty()) {
                    return now + sizer.maxLatencyNanos();
                }
                long due = firstItemNanos + sizer.maxLatencyNanos();
                if (now - due < 0) {
                    return due;
                }
                flush();
            }
            drain(true);
            return now + sizer.maxLatencyNanos();
        }

        /** Adds an item to the chunk being filled; true when a chunk is ready to go. Under the lock. */
        private boolean add(Object item) {
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
                return true;
            }
            if (item instanceof RailFailure
                    || ((count & (count - 1)) == 0 && System.nanoTime() - firstItemNanos >= sizer.maxLatencyNanos())) {
                flush();
                return true;
            }
            return false;
        }

        @Override
        public void onError(Throwable t) {
            synchronized (this) {
                end(t);
            }
            drain();
        }

        @Override
        public void onComplete() {
            synchronized (this) {
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
                sweeper.unregister(this);
                upstream.cancel();
                if (WIP.getAndIncrement(this) == 0) {
                    ready.clear();
                }
            }
        }

        private void drain() {
            drain(false);
        }

        /**
         * Emits ready chunks up to the demand, ends the flux when the input has, and sets up the next
         * chunk when one is wanted and none is under way. Its items are asked for upstream after the loop,
         * outside the drain: an upstream that emits inside {@code request} (a sequential stage after a
         * merge, a publisher source) then delivers into a drain another thread may run, so the sweeper can
         * pass a late chunk on meanwhile. The sweeper's own drain ({@code sweeping}) never asks upstream:
         * that would run upstream work, stage functions included, on the one thread every chunker in the
         * JVM relies on; it hands the request to a worker of Reactor's {@code boundedElastic()} instead.
         */
        private void drain(boolean sweeping) {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            long due = 0;
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
                        sweeper.unregister(this);
                        if (error != null) {
                            actual.onError(error);
                        } else {
                            actual.onComplete();
                        }
                    }
                    return;
                }
                if (wanted > 0 && paused && ready.isEmpty() && !done) {
                    // no item is due from upstream now, so this thread may set up the next chunk (under
                    // the lock, as the sweeper and a checkpoint's drain look at it from their threads)
                    int size = sizer.size();
                    synchronized (this) {
                        paused = false;
                        outstanding = size;
                        current = newChunk(size);
                    }
                    due += size;
                }
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    break;
                }
            }
            if (due > 0) {
                long n = due;
                if (sweeping) {
                    Schedulers.boundedElastic().schedule(() -> upstream.request(n));
                } else {
                    upstream.request(n);
                }
            }
        }
    }
}
