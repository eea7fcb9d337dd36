package io.github.pipeline.runtime;

import io.github.pipeline.api.MapStage;
import java.util.function.Function;

/** Translates a {@link MapStage}: one output per item. */
final class StageMap extends ItemStage {

    private static final boolean DROPS = false;

    private final Function<Object, Object> function;

    @SuppressWarnings("unchecked")
    StageMap(String pipeline, MapStage<?, ?> stage, StageCounters counters) {
        super(pipeline, counters, DROPS);
        this.function = (Function<Object, Object>) stage.function();
    }

    @Override
    Object apply(Object item) {
        return function.apply(item);
    }
}
