package io.github.pipeline.runtime;

import io.github.pipeline.api.PipelineException;
import io.github.pipeline.api.ViaStage;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.ParallelFlux;

/**
 * Translates a {@link ViaStage}: hands the items to the user's publisher function. The stage is a black
 * box: it counts items in and out, and when it completes, every item received counts as processed.
 */
final class StageVia implements StageTranslator {

    private final String pipeline;
    private final Function<Publisher<Object>, Publisher<Object>> transform;
    private final StageCounters counters;

    @SuppressWarnings("unchecked")
    StageVia(String pipeline, ViaStage<?, ?> stage, StageCounters counters) {
        this.pipeline = pipeline;
        this.transform = (Function<Publisher<Object>, Publisher<Object>>) (Function<?, ?>) stage.transform();
        this.counters = counters;
    }

    @Override
    public Flux<Object> onFlux(Flux<Object> in) {
        return Flux.defer(() -> {
            Publisher<Object> out = transform.apply(in.doOnNext(item -> counters.received.increment()));
            if (out == null) {
                throw new NullPointerException("the via function returned null");
            }
            return out;
        })
                .doOnNext(item -> counters.emitted.increment())
                .doOnComplete(() -> counters.processed.add(counters.received.sum() - counters.processed.sum()))
                .onErrorMap(e -> !(e instanceof PipelineException), e -> StageFailures.of(pipeline, counters.name, null, e));
    }

    @Override
    public ParallelFlux<Object> onRails(ParallelFlux<Object> in, boolean indexed) {
        throw new UnsupportedOperationException("a via stage runs sequentially");
    }
}
