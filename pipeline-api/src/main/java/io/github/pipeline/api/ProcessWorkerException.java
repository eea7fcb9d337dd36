package io.github.pipeline.api;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A worker process of a process stage failed an item: it exited (or was killed) before answering, or
 * its answer was malformed. It is the cause of the item's failure, handled by the stage's error policy
 * like any failing function; it carries the last lines the worker wrote to its standard error.
 */
public class ProcessWorkerException extends PipelineException {

    /** What went wrong. */
    public enum Reason {
        /** The worker exited, crashed or was killed before it answered the item. */
        EXITED,
        /** The worker's answer could not be decoded, or was longer than the stage allows. */
        MALFORMED_ANSWER,
        /** The worker could not be started, or died too often in a row: the run fails. */
        UNUSABLE
    }

    private final Reason reason;
    private final int worker;
    private final OptionalInt exitCode;
    private final List<String> stderr;

    /**
     * Creates the exception.
     *
     * @param reason   what went wrong
     * @param message  the description, which should name the worker and say what it did
     * @param worker   the worker's number in its stage, from 1
     * @param exitCode the process's exit code, if it exited
     * @param stderr   the last lines of its standard error, oldest first
     * @param cause    the underlying exception, may be {@code null}
     */
    public ProcessWorkerException(Reason reason, String message, int worker, OptionalInt exitCode, List<String> stderr,
                                  Throwable cause) {
        super(withStderr(message, stderr), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.worker = worker;
        this.exitCode = Objects.requireNonNull(exitCode, "exitCode");
        this.stderr = List.copyOf(stderr);
    }

    private static String withStderr(String message, List<String> stderr) {
        if (stderr.isEmpty()) {
            return message + "; its stderr was empty";
        }
        return message + "; its stderr ended with:\n    " + String.join("\n    ", stderr);
    }

    /**
     * Returns what went wrong.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * Returns the worker's number in its stage.
     *
     * @return from 1
     */
    public int worker() {
        return worker;
    }

    /**
     * Returns the worker's exit code.
     *
     * @return the code, or empty if it had not exited
     */
    public OptionalInt exitCode() {
        return exitCode;
    }

    /**
     * Returns the last lines the worker wrote to its standard error, each cut to 500 characters.
     *
     * @return the lines, oldest first
     */
    public List<String> stderr() {
        return stderr;
    }
}
