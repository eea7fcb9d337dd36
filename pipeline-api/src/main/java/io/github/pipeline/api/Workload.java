package io.github.pipeline.api;

/**
 * What a stage spends its time on, as its {@link StageProfile} measured it. The classification decides
 * the suggestion a profile makes: more rails for CPU-bound work, a blocking stage for waiting, fewer
 * allocations for allocation-heavy work.
 */
public enum Workload {
    /** Most of the time in the function is CPU time: more cores (rails) help, up to the serial part. */
    CPU_BOUND,
    /**
     * Most of the time in the function is not CPU time: it waits (I/O, locks, sleeps, remote calls).
     * More concurrent calls help without more cores; it belongs on a blocking stage.
     */
    WAITING,
    /**
     * Mostly CPU time, but spent allocating (at least 1 KiB per call and 256 MiB per second of its CPU time): the
     * garbage collector and memory bandwidth, which all rails share, limit what more rails can do.
     */
    ALLOCATION_HEAVY,
    /**
     * Not measured: the stage has no function per item (batch, via), made no call, or the JVM cannot
     * measure thread CPU time.
     */
    UNMEASURED
}
