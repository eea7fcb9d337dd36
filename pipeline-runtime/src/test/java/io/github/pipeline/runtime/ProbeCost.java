package io.github.pipeline.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Not a test: measures, by hand, what a {@link StageProbe} adds to each call of a cheap and of an
 * expensive function, in CPU time of the calling thread (which other work on the machine does not
 * lengthen, unlike wall time). Run from the repository root:
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -pl pipeline-api,pipeline-runtime -Dmdep.outputFile=/tmp/cp.txt
 * java -cp pipeline-runtime/target/classes:pipeline-runtime/target/test-classes:$(cat /tmp/cp.txt) \
 *     io.github.pipeline.runtime.ProbeCost
 * </pre>
 */
final class ProbeCost {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static long sink;

    private ProbeCost() {
    }

    public static void main(String[] args) {
        int rounds = 9;
        System.out.printf(Locale.ROOT, "clocks: one sample costs %d ns; empty call reads wall %d ns, CPU %d ns%n",
                ThreadClocks.OVERHEAD.sampleNanos(), ThreadClocks.OVERHEAD.wallNanos(), ThreadClocks.OVERHEAD.cpuNanos());
        long[] snapshots = new long[21];
        long[] snapshotsCpu = new long[21];
        for (int i = 0; i < snapshots.length; i++) {
            long start = System.nanoTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            CoreContention.take();
            snapshotsCpu[i] = THREADS.getCurrentThreadCpuTime() - cpu;
            snapshots[i] = System.nanoTime() - start;
        }
        Arrays.sort(snapshots);
        Arrays.sort(snapshotsCpu);
        System.out.printf(Locale.ROOT, "core contention: one snapshot of the JVM's %d threads' schedstat takes %.2f ms, "
                + "%.2f ms of CPU (two per run)%n", THREADS.getThreadCount(), snapshots[snapshots.length / 2] / 1e6,
                snapshotsCpu[snapshotsCpu.length / 2] / 1e6);
        report("cheap (x * 31 + 7)", 20_000_000, 0, rounds);
        report("expensive (spin, ~50 us)", 4_000, 3, rounds);
        System.out.println("sink " + (sink & 1));
    }

    private static void report(String name, int calls, int units, int rounds) {
        double[] bare = new double[rounds];
        double[] probed = new double[rounds];
        double[] counted = new double[rounds];
        for (int r = -2; r < rounds; r++) { // two rounds of warm-up
            double b = perCall(calls, units, null, false);
            double p = perCall(calls, units, new StageProbe(true), false);
            double c = perCall(calls, units, new StageProbe(true), true);
            if (r >= 0) {
                bare[r] = b;
                probed[r] = p;
                counted[r] = c;
            }
        }
        Arrays.sort(bare);
        Arrays.sort(probed);
        Arrays.sort(counted);
        double b = bare[rounds / 2];
        double p = probed[rounds / 2];
        double c = counted[rounds / 2];
        System.out.printf(Locale.ROOT, "%-26s bare %10.1f ns/call  probed %10.1f ns/call  overhead %+.1f ns (%+.2f%%)%n",
                name, b, p, p - b, 100 * (p - b) / b);
        System.out.printf(Locale.ROOT, "%-26s bare %10.1f ns/call  counted %9.1f ns/call  overhead %+.1f ns (%+.2f%%)%n",
                name, b, c, c - b, 100 * (c - b) / b);
    }

    /**
     * CPU time per call, bare, measured by the probe's own draw ({@code probe.start()}), or, when
     * {@code countdown}, picked by one countdown for all the calls (as a source or a sink uses it).
     */
    private static double perCall(int calls, int units, StageProbe probe, boolean countdown) {
        long start = THREADS.getCurrentThreadCpuTime();
        long acc = 0;
        StageProbe.Countdown measured = probe == null ? null : probe.countdown();
        for (int i = 0; i < calls; i++) {
            if (probe == null) {
                acc += work(i, units);
            } else {
                StageProbe.Sample sample = countdown ? measured.start() : probe.start();
                try {
                    acc += work(i, units);
                } finally {
                    probe.stop(sample);
                }
            }
        }
        sink += acc;
        return (double) (THREADS.getCurrentThreadCpuTime() - start) / calls;
    }

    private static long work(long x, int units) {
        return units == 0 ? x * 31 + 7 : RunProfilerTest.spin(x, units);
    }
}
