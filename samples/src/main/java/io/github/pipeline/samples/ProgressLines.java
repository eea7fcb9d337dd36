package io.github.pipeline.samples;

import io.github.pipeline.api.Progress;
import io.github.pipeline.api.ProgressListener;
import java.io.PrintWriter;

/**
 * Progress as plain lines, for a stderr that is not a terminal (a log file, a CI job, a pipe): one
 * line per snapshot (the engine sends one per interval), and a last line when the run ends, but only
 * for a run that printed a line before, so that short runs print nothing.
 */
final class ProgressLines implements ProgressListener {

    private final PrintWriter err;
    private volatile boolean printed;

    ProgressLines(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void onProgress(Progress progress) {
        if (progress.done()) {
            if (printed) {
                err.println(ProgressText.line(progress));
                err.flush();
            }
            printed = false; // the pipeline may run again
            return;
        }
        err.println(ProgressText.line(progress));
        err.flush();
        printed = true;
    }
}
