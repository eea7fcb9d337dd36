package io.github.pipeline.runtime;

import reactor.core.publisher.Flux;
import reactor.core.publisher.ParallelFlux;

/**
 * Turns one stage of a pipeline into Reactor operators, on a sequential {@link Flux} or on the rails of
 * a {@link ParallelFlux}. Each stage kind has its own small translator; the engine only wires them.
 */
interface StageTranslator {

    /**
     * Applies the stage to a sequential stream of items.
     *
     * @param in the items
     * @return the stage's outputs
     */
    Flux<Object> onFlux(Flux<Object> in);

    /**
     * Applies the stage on each rail, keeping each rail's order. When {@code indexed}, the items are
     * {@link Indexed} and the outputs must carry their input's index.
     *
     * @param in      the rails
     * @param indexed whether items carry their source index
     * @return the rails of outputs
     */
    ParallelFlux<Object> onRails(ParallelFlux<Object> in, boolean indexed);
}
