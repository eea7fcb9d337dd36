package io.github.pipeline.api;

/**
 * Receives snapshots of a run's progress at a steady interval, and a last one when the run ends
 * ({@link Progress#done()}). Calls come one at a time, from one timer thread of the engine's, never
 * from a stage. A listener that throws is logged and ignored: it cannot break the run.
 * Set with {@link Pipeline#withProgressListener}.
 */
@FunctionalInterface
public interface ProgressListener {

    /**
     * Takes one snapshot. Should return quickly: the next snapshot waits for it.
     *
     * @param progress the counts so far
     */
    void onProgress(Progress progress);
}
