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
    BLOCKING
}
