package io.github.pipeline.runtime;

import io.github.pipeline.api.FilterStage;
import java.util.function.Predicate;
import reactor.core.scheduler.Scheduler;

/** Translates a {@link FilterStage}: the item, or nothing (counted as filtered). */
final class StageFilter extends ItemStage {

    private final Predicate<Object> predicate;

    @SuppressWarnings("unchecked")
    StageFilter(FilterStage<?> stage, StageCounters counters, ItemFailureHandler failures,
             Scheduler timer, FirstFailure firstFailure) {
        super(counters, true, stage.options(), failures, timer, firstFailure);
        this.predicate = (Predicate<Object>) stage.predicate();
    }

    @Override
    Object apply(Object item) {
        return predicate.test(item) ? item : DROPPED;
    }
}
