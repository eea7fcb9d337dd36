package io.github.pipeline.runtime;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound, when an application installs it, about the engine's one deliberate wait on a CPU
 * rail: a stage whose dead-letter sink has fallen {@link DeadLetterChannel#CAPACITY} letters behind
 * waits for room, as backpressure, rather than growing memory or doing the sink's I/O on the rail.
 * Every other blocking call on a rail is still reported. Loaded by BlockHound through
 * {@link java.util.ServiceLoader}; BlockHound itself is an optional dependency.
 */
public final class PipelineBlockHoundIntegration implements BlockHoundIntegration {

    /** Created by BlockHound through {@link java.util.ServiceLoader}. */
    public PipelineBlockHoundIntegration() {
    }

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside(DeadLetterChannel.class.getName(), "send");
    }
}
