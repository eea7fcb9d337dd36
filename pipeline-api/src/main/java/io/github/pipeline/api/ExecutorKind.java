package io.github.pipeline.api;

/**
 * What a stage's function spends its time on, which decides the threads it runs on.
 */
public enum ExecutorKind {
    /**
     * The function computes: it runs on a fixed pool with one thread per core (Reactor's parallel
     * scheduler). It must not block.
     */
    CPU_BOUND,
    /**
     * The function waits (I/O, sleeps, remote calls): it runs on threads the engine creates for the
     * stage, exactly as many as its parallelism, and never on the CPU-bound pool.
     */
    BLOCKING,
    /**
     * The function waits, and each call runs on a virtual thread of its own (Java 21 or later), at most
     * the stage's parallelism at once: thousands of concurrent calls without thousands of platform
     * threads. The function should not pin its carrier thread for long (long {@code synchronized}
     * blocks around I/O on Java 21 to 23, native calls).
     */
    VIRTUAL_THREADS;

    /**
     * Returns whether functions of this kind may block, and so never run on the CPU-bound pool.
     *
     * @return {@code true} for {@link #BLOCKING} and {@link #VIRTUAL_THREADS}
     */
    public boolean mayBlock() {
        return this != CPU_BOUND;
    }
}
