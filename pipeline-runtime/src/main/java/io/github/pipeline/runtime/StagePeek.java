package io.github.pipeline.runtime;

import io.github.pipeline.api.PeekStage;
import java.util.function.Consumer;
import reactor.core.scheduler.Scheduler;

/** Translates a {@link PeekStage}: calls the action, passes the item on. */
final class StagePeek extends ItemStage {

    private final Consumer<Object> action;

    @SuppressWarnings("unchecked")
    StagePeek(PeekStage<?> stage, StageCounters counters, ItemFailureHandler failures,
             Scheduler timer, FirstFailure firstFailure) {
        super(counters, false, stage.options(), failures, timer, firstFailure);
        this.action = (Consumer<Object>) stage.action();
    }

    @Override
    Object apply(Object item) {
        action.accept(item);
        return item;
    }
}
