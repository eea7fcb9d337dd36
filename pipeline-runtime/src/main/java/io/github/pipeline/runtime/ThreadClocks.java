package io.github.pipeline.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The clocks a {@link StageProbe} reads around a call: wall time, the current thread's CPU time
 * ({@link ThreadMXBean}) and the bytes it has allocated (HotSpot's
 * {@link com.sun.management.ThreadMXBean}, where the JVM has it). What reading them costs is measured
 * once, when this class is loaded, and taken off every measurement.
 */
final class ThreadClocks {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.ThreadMXBean HOTSPOT = hotspot();

    /** Whether the JVM measures the CPU time of the current thread. */
    static final boolean CPU = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();

    /** Whether the JVM counts the bytes each thread allocates. */
    static final boolean ALLOCATION = HOTSPOT != null;

    /** What an empty measurement reads on each clock, and what one measurement costs. */
    static final Overhead OVERHEAD = calibrate();

    private ThreadClocks() {
    }

    /**
     * What the clocks read around a call that does nothing: taken off each measurement.
     *
     * @param wallNanos   wall time of an empty call
     * @param cpuNanos    CPU time of an empty call
     * @param allocated   bytes allocated by an empty call
     * @param sampleNanos what reading all the clocks before and after a call costs
     */
    record Overhead(long wallNanos, long cpuNanos, long allocated, long sampleNanos) {
    }

    private static com.sun.management.ThreadMXBean hotspot() {
        if (THREADS instanceof com.sun.management.ThreadMXBean hotspot && hotspot.isThreadAllocatedMemorySupported()
                && hotspot.isThreadAllocatedMemoryEnabled()) {
            return hotspot;
        }
        return null;
    }

    /** The CPU time of the current thread, or 0 if the JVM does not measure it. */
    static long cpuNanos() {
        return CPU ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    /** The bytes the current thread has allocated, or 0 if the JVM does not count them. */
    static long allocatedBytes() {
        return HOTSPOT != null ? HOTSPOT.getCurrentThreadAllocatedBytes() : 0;
    }

    /**
     * Reads the clocks around nothing many times; the median readings are the clocks' own cost. The
     * median, not the smallest: taking off the luckiest reading would leave most of the cost of a
     * typical one in every measurement, which for calls of a few nanoseconds is all there is.
     */
    private static Overhead calibrate() {
        int warmUp = 10_000;
        int rounds = 10_001;
        for (int i = 0; i < warmUp; i++) {
            allocatedBytes();
            cpuNanos();
            System.nanoTime();
        }
        long[] wall = new long[rounds];
        long[] cpu = new long[rounds];
        long[] allocated = new long[rounds];
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            long a0 = allocatedBytes();
            long c0 = cpuNanos();
            long w0 = System.nanoTime();
            long w1 = System.nanoTime();
            long c1 = cpuNanos();
            long a1 = allocatedBytes();
            wall[i] = w1 - w0;
            cpu[i] = c1 - c0;
            allocated[i] = a1 - a0;
        }
        long sample = (System.nanoTime() - start) / rounds;
        return new Overhead(Math.max(0, median(wall)), Math.max(0, median(cpu)), Math.max(0, median(allocated)),
                Math.max(1, sample));
    }

    private static long median(long[] values) {
        java.util.Arrays.sort(values);
        return values[values.length / 2];
    }
}
