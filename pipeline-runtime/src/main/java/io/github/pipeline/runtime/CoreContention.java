package io.github.pipeline.runtime;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.scheduler.Schedulers;

/**
 * How long the JVM's threads waited for a core per nanosecond of CPU they got, between two moments:
 * read from Linux's {@code /proc/self/task/<tid>/schedstat} (time on a CPU, time runnable but waiting
 * for one). On a machine busier than its cores, a CPU-bound call's wall time is longer than its CPU
 * time by that wait; the profile takes it off before calling a stage "waiting". Elsewhere, or on a
 * thread that must not block, nothing is read and the contention counts as 0.
 */
final class CoreContention {

    private static final String TASKS_PATH = "/proc/self/task/";
    private static final Path TASKS = Path.of(TASKS_PATH);
    private static final boolean AVAILABLE = Files.isReadable(Path.of("/proc/thread-self/schedstat"));

    /** The CPU time and run-queue wait of each thread, by thread id. */
    static final class Snapshot {
        static final Snapshot NONE = new Snapshot(Map.of());
        private final Map<String, long[]> threads;

        private Snapshot(Map<String, long[]> threads) {
            this.threads = threads;
        }

        boolean isEmpty() {
            return threads.isEmpty();
        }

        /** Whether the thread with this id (as {@link #currentThreadId()} gives it) was read. */
        boolean covers(String threadId) {
            return threads.containsKey(threadId);
        }
    }

    private CoreContention() {
    }

    /** Reads every thread's schedstat, or returns an empty snapshot where that is not possible. */
    static Snapshot take() {
        return take(threadsNow());
    }

    /**
     * The ids of the JVM's threads now, but for the engines' idle kept threads (waiting: reading one costs
     * 18 us and tells nothing); empty where schedstat cannot be read. Listing costs far less than reading:
     * a run lists its threads as it starts and reads them ({@link #take(List)}) on a thread with time to spare.
     */
    static List<String> threadsNow() {
        if (!AVAILABLE || Schedulers.isInNonBlockingThread()) {
            return List.of();
        }
        String[] tasks = TASKS.toFile().list();
        if (tasks == null) {
            return List.of();
        }
        Set<String> idle = BlockingThreads.idleThreadIds();
        return Arrays.stream(tasks).filter(task -> !idle.contains(task)).toList();
    }

    /** Reads the schedstat of {@code threads} (ids from {@link #threadsNow()}) that are still alive. */
    static Snapshot take(List<String> threads) {
        if (threads.isEmpty() || Schedulers.isInNonBlockingThread()) {
            return Snapshot.NONE;
        }
        return read(threads);
    }

    /**
     * Reads again the threads of an earlier snapshot that are still alive: the only ones
     * {@link #waitPerCpuNanosecond} compares. A run's end passes over the threads it started (its
     * source, sink and blocking threads: 256 of them cost 4.7 ms to read).
     */
    static Snapshot takeAgain(Snapshot before) {
        if (before.isEmpty() || Schedulers.isInNonBlockingThread()) {
            return Snapshot.NONE;
        }
        return read(before.threads.keySet());
    }

    private static Snapshot read(Iterable<String> tasks) {
        Map<String, long[]> threads = new HashMap<>();
        byte[] buffer = new byte[128];
        for (String task : tasks) {
            // plain reads into one small buffer: NIO's Files.readString costs ten times more on procfs
            try (FileInputStream in = new FileInputStream(TASKS_PATH + task + "/schedstat")) {
                int length = in.read(buffer);
                long[] values = parse(buffer, length);
                if (values != null) {
                    threads.put(task, values);
                }
            } catch (IOException ended) {
                // the thread ended while we listed the others: it does not count
            }
        }
        return new Snapshot(threads);
    }

    /**
     * The Linux thread id of the calling thread, as named under {@code /proc/self/task/}, or {@code null}
     * where that cannot be read.
     */
    static String currentThreadId() {
        if (!AVAILABLE) {
            return null;
        }
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The first two numbers of a schedstat line: CPU time and run-queue wait, in nanoseconds. */
    private static long[] parse(byte[] line, int length) {
        long[] values = new long[2];
        int field = 0;
        boolean inNumber = false;
        for (int i = 0; i < length && field < 2; i++) {
            byte b = line[i];
            if (b >= '0' && b <= '9') {
                values[field] = values[field] * 10 + (b - '0');
                inNumber = true;
            } else if (inNumber) {
                field++;
                inNumber = false;
            }
        }
        return field == 2 || (field == 1 && inNumber) ? values : null;
    }

    /**
     * Returns the run-queue wait per nanosecond of CPU between two snapshots, over the threads in both.
     *
     * @return at least 0; 0 when either snapshot is empty or no CPU time passed
     */
    static double waitPerCpuNanosecond(Snapshot before, Snapshot after) {
        if (before.isEmpty() || after.isEmpty()) {
            return 0;
        }
        long cpu = 0;
        long waited = 0;
        for (Map.Entry<String, long[]> thread : after.threads.entrySet()) {
            long[] then = before.threads.get(thread.getKey());
            if (then != null) {
                cpu += Math.max(0, thread.getValue()[0] - then[0]);
                waited += Math.max(0, thread.getValue()[1] - then[1]);
            }
        }
        return cpu <= 0 ? 0 : (double) waited / cpu;
    }
}
