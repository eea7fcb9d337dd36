package io.github.pipeline.runtime;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Function;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Passes items on and turns the error of the flux into one last item, {@code toItem(error)}, followed by
 * completion: how a rail segment lets its input's failure flow down the rails as a value (see
 * {@link RailFailure}). The same as {@code onErrorResume(e -> Flux.just(toItem(e)))}, without its atomic
 * instruction per item (see {@link FluxMapFailure}): items are counted in a plain field on the signals'
 * side, and the demand is looked at only when the error comes; if none is left then, the item waits
 * for the next request.
 */
final class FluxFailureAsItem extends FluxOperator<Object, Object> {

    private final Function<? super Throwable, ?> toItem;

    FluxFailureAsItem(Flux<Object> source, Function<? super Throwable, ?> toItem) {
        super(source);
        this.toItem = toItem;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Object> actual) {
        source.subscribe(new FailureAsItemSubscriber(actual, toItem));
    }

    static final class FailureAsItemSubscriber implements CoreSubscriber<Object>, Subscription {

        private static final int RUNNING = 0;
        private static final int FAILURE_WAITING = 1;
        private static final int DONE = 2;

        private static final AtomicLongFieldUpdater<FailureAsItemSubscriber> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(FailureAsItemSubscriber.class, "requested");
        private static final AtomicIntegerFieldUpdater<FailureAsItemSubscriber> STATE =
                AtomicIntegerFieldUpdater.newUpdater(FailureAsItemSubscriber.class, "state");

        private final CoreSubscriber<? super Object> actual;
        private final Function<? super Throwable, ?> toItem;
        private Subscription upstream;
        /** Items passed on: written by the signals only, which are serialized. */
        private long produced;
        /** All requests added up, capped at {@code Long.MAX_VALUE}. */
        volatile long requested;
        volatile int state;
        /** The last item, and how many items came before it: written before the state says it waits. */
        private Object failureItem;
        private long producedBeforeFailure;

        FailureAsItemSubscriber(CoreSubscriber<? super Object> actual, Function<? super Throwable, ?> toItem) {
            this.actual = actual;
            this.toItem = toItem;
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
            produced++;
            actual.onNext(item);
        }

        @Override
        public void onError(Throwable failure) {
            Object item;
            try {
                item = toItem.apply(failure);
            } catch (Throwable e) {
                e.addSuppressed(failure);
                actual.onError(e);
                return;
            }
            failureItem = item;
            producedBeforeFailure = produced;
            if (STATE.compareAndSet(this, RUNNING, FAILURE_WAITING)) {
                emitFailureIfRequested();
            }
        }

        @Override
        public void onComplete() {
            if (STATE.compareAndSet(this, RUNNING, DONE)) {
                actual.onComplete();
            }
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(REQUESTED, this, n);
                if (state == FAILURE_WAITING) {
                    emitFailureIfRequested();
                } else {
                    upstream.request(n);
                }
            }
        }

        /** Emits the last item and completes, once, if the demand covers it. Either side may get here. */
        private void emitFailureIfRequested() {
            if (requested > producedBeforeFailure && STATE.compareAndSet(this, FAILURE_WAITING, DONE)) {
                Object item = failureItem;
                failureItem = null;
                actual.onNext(item);
                actual.onComplete();
            }
        }

        @Override
        public void cancel() {
            state = DONE;
            failureItem = null;
            upstream.cancel();
        }
    }
}
