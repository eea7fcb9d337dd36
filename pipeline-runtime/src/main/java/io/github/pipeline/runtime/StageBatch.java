package io.github.pipeline.runtime;

import io.github.pipeline.api.BatchStage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.ParallelFlux;

/** Translates a {@link BatchStage}: lists of {@code size} consecutive items; runs sequentially. */
final class StageBatch implements StageTranslator {

    private final int size;
    private final StageCounters counters;

    StageBatch(BatchStage stage, StageCounters counters) {
        this.size = stage.size();
        this.counters = counters;
    }

    @Override
    public Flux<Object> onFlux(Flux<Object> in) {
        return in.doOnNext(item -> counters.received.increment())
                .buffer(size)
                .map(list -> {
                    counters.processed.add(list.size());
                    counters.emitted.increment();
                    return list;
                });
    }

    @Override
    public ParallelFlux<Object> onRails(ParallelFlux<Object> in, boolean indexed) {
        throw new UnsupportedOperationException("a batch stage runs sequentially");
    }
}
