package io.github.pipeline.runtime;

import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * A blocking segment as one operator: each item becomes a task on the segment's executor (the threads
 * the run borrowed for the stage, one per unit of parallelism, which take their tasks from one shared
 * queue; or a virtual thread per task), and the results flow on as they end, or in source order. What
 * {@code parallel(n).runOn(threads)} rails do for a blocking stage, without wiring {@code n} rails: with
 * 256 rails, setting them up and merging them back cost 25 ms or so of a 2-core machine's time per run,
 * about a third of a run of 2,000 calls of 10 ms (see docs/benchmarks.md).
 *
 * <p>Demand: at most {@code window} items are between the upstream and the downstream (running, waiting
 * for a thread, or done and not yet emitted); a slot frees when its result is emitted (or its item was
 * filtered out or went to the error policy), and freed slots are asked for upstream a batch at a time.
 * When ordered, results leave in source order through a ring of {@code window} slots: a slow item holds
 * the ones after it (head-of-line blocking, measured on {@code headOfLine}) and, since its slot is not
 * freed, the upstream too: memory never grows.
 *
 * <p>Failures travel as items ({@link RailFailure}) and are emitted in turn, like results. The
 * executor's refusal (the run is ending) cancels the upstream and fails the flux. After a cancellation,
 * calls still waiting for a thread are not made.
 */
final class FluxSharedQueueCalls extends FluxOperator<Object, Object> {

    private final UnaryOperator<Object> call;
    private final Function<Throwable, Object> callFailure;
    private final Executor executor;
    private final int window;
    private final boolean ordered;
    private final HeadOfLineClock headOfLine;

    /**
     * @param call        runs the segment on one item: its output, a marker the segment drops, or a
     *                    {@link RailFailure}; it should not throw
     * @param callFailure turns what {@code call} threw all the same into the item's result (a failure
     *                    item), so that no item is left without a result
     * @param executor    runs the calls
     * @param window      the most items between the upstream and the downstream at once
     * @param ordered     whether results leave in source order
     * @param headOfLine  measures how long an ordered flux held ready results behind a slow one
     */
    FluxSharedQueueCalls(Flux<Object> source, UnaryOperator<Object> call, Function<Throwable, Object> callFailure,
                         Executor executor, int window, boolean ordered, HeadOfLineClock headOfLine) {
        super(source);
        this.call = call;
        this.callFailure = callFailure;
        this.executor = executor;
        this.window = window;
        this.ordered = ordered;
        this.headOfLine = headOfLine;
        if (ordered) {
            headOfLine.attach();
        }
    }

    @Override
    public void subscribe(CoreSubscriber<? super Object> actual) {
        source.subscribe(new CallsSubscriber(actual, this));
    }

    /** A result and its position among the items, for the ordered ring. */
    private record Done(long position, Object result) {
    }

    static final class CallsSubscriber implements CoreSubscriber<Object>, Subscription {

        private static final AtomicIntegerFieldUpdater<CallsSubscriber> WIP =
                AtomicIntegerFieldUpdater.newUpdater(CallsSubscriber.class, "wip");
        private static final AtomicLongFieldUpdater<CallsSubscriber> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(CallsSubscriber.class, "requested");

        private final CoreSubscriber<? super Object> actual;
        private final UnaryOperator<Object> call;
        private final Function<Throwable, Object> callFailure;
        private final Executor executor;
        private final int window;
        private final int replenish;
        private final HeadOfLineClock headOfLine;
        /** Results as calls end, from any thread; for an ordered flux, {@link Done}s. */
        private final Queue<Object> results = Queues.unboundedMultiproducer().get();
        /** The ordered flux's results by position modulo the window; {@code null} when unordered. */
        private final Object[] ring;
        private Subscription upstream;

        /** Items received: written by the upstream's (serialized) signals, read by the drain. */
        private volatile long received;
        // drain-side state, touched by one drain at a time (the work-in-progress counter orders them)
        private long settled;
        private long freedUnrequested;
        /** Results in the ring: all after the head while it has not ended. */
        private int inRing;

        volatile long requested;
        volatile int wip;
        private volatile boolean done;
        private volatile Throwable error;
        private volatile boolean cancelled;
        private boolean terminated;

        CallsSubscriber(CoreSubscriber<? super Object> actual, FluxSharedQueueCalls parent) {
            this.actual = actual;
            this.call = parent.call;
            this.callFailure = parent.callFailure;
            this.executor = parent.executor;
            this.window = parent.window;
            this.replenish = Math.max(1, parent.window / 4);
            this.headOfLine = parent.headOfLine;
            this.ring = parent.ordered ? new Object[parent.window] : null;
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
                s.request(window);
            }
        }

        @Override
        public void onNext(Object item) {
            if (done) {
                return; // the executor refused a call: the upstream is cancelled, and this one came before it knew
            }
            long position = received;
            received = position + 1;
            if (item instanceof RailFailure) {
                settle(position, item); // nothing to call: the failure goes on in turn
                return;
            }
            try {
                executor.execute(() -> {
                    if (!cancelled) { // a cancelled flux makes no more calls: it wants none of their results
                        settle(position, callSafely(item));
                    }
                });
            } catch (Throwable e) { // refused (the run is ending), or worse: the item is never called
                received = position;
                upstream.cancel();
                onError(e);
            }
        }

        private Object callSafely(Object item) {
            try {
                return call.apply(item);
            } catch (Throwable e) {
                return callFailure.apply(e);
            }
        }

        private void settle(long position, Object result) {
            results.offer(ring == null ? result : new Done(position, result));
            drain();
        }

        @Override
        public void onError(Throwable t) {
            if (done) {
                Operators.onErrorDropped(t, actual.currentContext());
                return;
            }
            error = t;
            done = true;
            drain();
        }

        @Override
        public void onComplete() {
            done = true;
            drain();
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
                    clear();
                }
            }
        }

        private void clear() {
            results.clear();
            if (ring != null) {
                Arrays.fill(ring, null);
                inRing = 0;
            }
        }

        private void drain() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            while (true) {
                if (cancelled) {
                    clear();
                    return;
                }
                long wanted = requested;
                long sent = ring == null ? emitUnordered(wanted) : emitOrdered(wanted);
                if (sent != 0 && wanted != Long.MAX_VALUE) {
                    REQUESTED.addAndGet(this, -sent);
                }
                boolean finished = done;
                if (finished && settled == received) {
                    if (!terminated) {
                        terminated = true;
                        if (ring != null) {
                            headOfLine.resumed();
                        }
                        Throwable failure = error;
                        if (failure != null) {
                            actual.onError(failure);
                        } else {
                            actual.onComplete();
                        }
                    }
                    return;
                }
                if (!finished && freedUnrequested >= replenish) {
                    long n = freedUnrequested;
                    freedUnrequested = 0;
                    upstream.request(n);
                }
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        /** Emits ended calls' results as they came, up to the demand; answers how many it emitted. */
        private long emitUnordered(long wanted) {
            long sent = 0;
            while (sent != wanted) {
                Object result = results.poll();
                if (result == null) {
                    break;
                }
                settled++;
                freedUnrequested++;
                if (ItemStage.kept(result)) {
                    actual.onNext(result);
                    sent++;
                }
            }
            if (sent == wanted) { // no demand left: results the segment drops still free their slots
                Object head;
                while ((head = results.peek()) != null && !ItemStage.kept(head)) {
                    results.poll();
                    settled++;
                    freedUnrequested++;
                }
            }
            return sent;
        }

        /**
         * Moves ended calls' results into the ring, then emits from the position after the last emitted
         * while the next one has ended, up to the demand; answers how many it emitted.
         */
        private long emitOrdered(long wanted) {
            Object next;
            while ((next = results.poll()) != null) {
                Done result = (Done) next;
                ring[(int) (result.position() % window)] = result;
                inRing++;
            }
            long sent = 0;
            while (true) {
                int slot = (int) (settled % window);
                Done head = (Done) ring[slot];
                if (head == null) {
                    if (sent != wanted && inRing > 0) {
                        headOfLine.stalled(); // later results wait for this one
                    }
                    break;
                }
                boolean kept = ItemStage.kept(head.result());
                if (kept && sent == wanted) {
                    break;
                }
                ring[slot] = null;
                inRing--;
                settled++;
                freedUnrequested++;
                if (kept) {
                    headOfLine.resumed();
                    actual.onNext(head.result());
                    sent++;
                }
            }
            return sent;
        }
    }
}
