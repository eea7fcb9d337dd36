package io.github.pipeline.benchmarks;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Virtual threads for the benchmarks, reached by reflection: the module is compiled for Java 17, which
 * has none, and runs on any later JDK.
 */
final class VirtualThreads {

    private VirtualThreads() {
    }

    /**
     * Whether this JDK has virtual threads (Java 21 or later).
     *
     * @return {@code true} on Java 21 or later
     */
    static boolean available() {
        return Runtime.version().feature() >= 21;
    }

    /**
     * {@code Executors.newVirtualThreadPerTaskExecutor()}.
     *
     * @return an executor that starts a new virtual thread per task
     * @throws UnsupportedOperationException on a JDK without virtual threads
     */
    static ExecutorService newThreadPerTaskExecutor() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw unavailable();
        }
    }

    /**
     * {@code value}, made in a set-up only when virtual threads are available.
     *
     * @param value what the set-up made, or {@code null}
     * @param <T>   its type
     * @return {@code value}
     * @throws UnsupportedOperationException when {@code value} is {@code null}: this JDK has no virtual threads
     */
    static <T> T required(T value) {
        if (value == null) {
            throw unavailable();
        }
        return value;
    }

    private static UnsupportedOperationException unavailable() {
        return new UnsupportedOperationException("virtual threads need Java 21 or later; this is Java "
                + Runtime.version().feature());
    }
}
