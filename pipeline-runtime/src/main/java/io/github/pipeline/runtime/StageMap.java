package io.github.pipeline.runtime;

import io.github.pipeline.api.MapStage;
import java.util.function.Function;
import reactor.core.scheduler.Scheduler;

/** Translates a {@link MapStage}: one output per item. */
final class StageMap extends ItemStage {

    private final Function<Object, Object> function;

    @SuppressWarnings("unchecked")
    StageMap(MapStage<?, ?> stage, StageCounters counters, ItemFailureHandler failures,
             Scheduler timer, FirstFailure firstFailure) {
        super(counters, false, stage.options(), failures, timer, firstFailure);
        this.function = (Function<Object, Object>) stage.function();
    }

    @Override
    Object apply(Object item) {
        return function.apply(item);
    }
}
