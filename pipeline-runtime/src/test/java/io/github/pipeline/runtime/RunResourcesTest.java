package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Resources handed to a run are closed when it shuts down: once, and even when handed over late. */
class RunResourcesTest {

    @Test
    void resourcesAreClosedOnceAtShutdownAndAtOnceWhenTheRunHasAlreadyShutDown() {
        RunResources resources = new RunResources("resources");
        AtomicInteger early = new AtomicInteger();
        AtomicInteger late = new AtomicInteger();
        resources.closeAtShutdown(early::incrementAndGet);

        resources.shutdown();
        resources.shutdown();
        resources.closeAtShutdown(late::incrementAndGet);

        assertThat(early).hasValue(1);
        assertThat(late).hasValue(1);
    }
}
