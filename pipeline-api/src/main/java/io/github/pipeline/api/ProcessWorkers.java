package io.github.pipeline.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The worker processes of a {@linkplain PipelineBuilder#process(String, ProcessWorkers) process stage}:
 * the command line that starts one, how many run, how many items each holds at once, and how they are
 * started and stopped. Immutable: every {@code withX} returns a copy.
 *
 * <pre>{@code
 * ProcessWorkers.of("python3", "worker.py")        // one worker, started at its first item
 *         .withWorkers(4)                          // four processes, like Pool(4)
 *         .withInFlightPerWorker(8)                // up to 8 items written to each before its answers
 *         .withInitializer("{\"model\": \"m.bin\"}") // the first line each worker reads, once
 *         .withEnvironment("PYTHONUNBUFFERED", "1")
 *         .withStopTimeout(Duration.ofSeconds(10)); // at the end: close stdin, wait, then kill
 * }</pre>
 *
 * <p>A worker reads items on its standard input, one line each (UTF-8), and writes one line of answer
 * per item on its standard output, in the order it read them, flushing after each (Python:
 * {@code print(..., flush=True)}). Its standard error is kept, the last {@link #stderrLines()} lines,
 * for the failures it causes. When its input closes, it should exit.
 */
public final class ProcessWorkers {

    /** Items each worker holds at once unless told otherwise. */
    public static final int DEFAULT_IN_FLIGHT = 16;
    /** How long a worker may take to exit once its input is closed, unless told otherwise. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);
    /** The longest answer line, in characters, unless told otherwise: 1 Mi. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 1 << 20;
    /** How many deaths in a row, with no answer in between, the stage takes before it fails the run. */
    public static final int DEFAULT_RESTART_LIMIT = 10;
    /** The lines of a worker's standard error kept for its failures, unless told otherwise. */
    public static final int DEFAULT_STDERR_LINES = 20;

    private final List<String> command;
    private final int workers;
    private final int inFlightPerWorker;
    private final boolean eager;
    private final Path workingDirectory;
    private final Map<String, String> environment;
    private final String initializer;
    private final Duration stopTimeout;
    private final int maxLineLength;
    private final int restartLimit;
    private final int stderrLines;

    private ProcessWorkers(List<String> command, int workers, int inFlightPerWorker, boolean eager,
                           Path workingDirectory, Map<String, String> environment, String initializer,
                           Duration stopTimeout, int maxLineLength, int restartLimit, int stderrLines) {
        this.command = command;
        this.workers = workers;
        this.inFlightPerWorker = inFlightPerWorker;
        this.eager = eager;
        this.workingDirectory = workingDirectory;
        this.environment = environment;
        this.initializer = initializer;
        this.stopTimeout = stopTimeout;
        this.maxLineLength = maxLineLength;
        this.restartLimit = restartLimit;
        this.stderrLines = stderrLines;
    }

    /**
     * Workers started with the given command line: the program, then its arguments, as
     * {@link ProcessBuilder} takes them (no shell: no globbing, no pipes, no {@code $VARS}). One worker,
     * started at its first item, with the defaults of this class.
     *
     * @param command the program and its arguments
     * @return the workers' description
     * @throws IllegalArgumentException if the command is empty or holds a {@code null} or empty program
     */
    public static ProcessWorkers of(String... command) {
        return of(List.of(Objects.requireNonNull(command, "command")));
    }

    /**
     * Workers started with the given command line. As {@link #of(String...)}.
     *
     * @param command the program and its arguments
     * @return the workers' description
     * @throws IllegalArgumentException if the command is empty or its program is empty
     */
    public static ProcessWorkers of(List<String> command) {
        List<String> copy = List.copyOf(Objects.requireNonNull(command, "command"));
        if (copy.isEmpty() || copy.get(0).isBlank()) {
            throw new IllegalArgumentException("a worker command needs a program, got " + copy);
        }
        return new ProcessWorkers(copy, 1, DEFAULT_IN_FLIGHT, false, null, Map.of(), null, DEFAULT_STOP_TIMEOUT,
                DEFAULT_MAX_LINE_LENGTH, DEFAULT_RESTART_LIMIT, DEFAULT_STDERR_LINES);
    }

    /**
     * Returns a copy with {@code workers} processes.
     *
     * @param workers the number of worker processes, 1 to 1,024
     * @return a copy
     * @throws IllegalArgumentException if {@code workers} is out of range
     */
    public ProcessWorkers withWorkers(int workers) {
        if (workers < 1 || workers > 1024) {
            throw new IllegalArgumentException("workers must be between 1 and 1024, got " + workers);
        }
        return new ProcessWorkers(command, workers, inFlightPerWorker, eager, workingDirectory, environment,
                initializer, stopTimeout, maxLineLength, restartLimit, stderrLines);
    }

    /**
     * Returns a copy in which each worker holds at most {@code inFlight} items at once: written to it and
     * not yet answered. More than one lets a worker read its next item while its answer travels back;
     * one makes every item wait for the round trip of the one before. An item goes to the worker with
     * the fewest items in hand, so a slow worker does not hold up the others; the items already in a
     * worker's hand wait for it.
     *
     * @param inFlight items per worker, 1 to 65,536
     * @return a copy
     * @throws IllegalArgumentException if {@code inFlight} is out of range
     */
    public ProcessWorkers withInFlightPerWorker(int inFlight) {
        if (inFlight < 1 || inFlight > 65536) {
            throw new IllegalArgumentException("inFlightPerWorker must be between 1 and 65536, got " + inFlight);
        }
        return new ProcessWorkers(command, workers, inFlight, eager, workingDirectory, environment,
                initializer, stopTimeout, maxLineLength, restartLimit, stderrLines);
    }

    /**
     * Returns a copy that starts every worker when the run starts ({@code true}), or each when an item
     * first needs it (the default, {@code false}: a run with few items starts few processes).
     *
     * @param eager whether to start all workers at once
     * @return a copy
     */
    public ProcessWorkers withEagerStart(boolean eager) {
        return new ProcessWorkers(command, workers, inFlightPerWorker, eager, workingDirectory, environment,
                initializer, stopTimeout, maxLineLength, restartLimit, stderrLines);
    }

    /**
     * Returns a copy whose workers run in {@code directory} (by default the JVM's working directory).
     *
     * @param directory the working directory of the workers
     * @return a copy
     */
    public ProcessWorkers withWorkingDirectory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return new ProcessWorkers(command, workers, inFlightPerWorker, eager, directory, environment,
                initializer, stopTimeout, maxLineLength, restartLimit, stderrLines);
    }

    /**
     * Returns a copy whose workers get the environment variable {@code name=value}, on top of the
     * JVM's environment (which they inherit) and of the variables set before.
     *
     * @param name  the variable's name, not empty, without {@code =}
     * @param value its value
     * @return a copy
     * @throws IllegalArgumentException if the name is empty or holds {@code =} or a NUL character
     */
    public ProcessWorkers withEnvironment(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a valid environment variable: '" + Items.abbreviate(name) + "'");
        }
        Map<String, String> next = new LinkedHashMap<>(environment);
        next.put(name, value);
        return new ProcessWorkers(command, workers, inFlightPerWorker, eager, workingDirectory,
                Collections.unmodifiableMap(next), initializer, stopTimeout, maxLineLength, restartLimit, stderrLines);
    }

    /**
     * Returns a copy that sends {@code line} to each worker once, as the first line of its input, before
     * any item: data every item needs (a model's path, a lookup table, settings), sent once per process
     * rather than with every item, as Python's {@code Pool(initializer=...)} or R's {@code clusterExport}.
     * The worker answers nothing to it. A restarted worker gets it again.
     *
     * @param line the first line, without a line break
     * @return a copy
     * @throws IllegalArgumentException if the line holds a line break
     */
    public ProcessWorkers withInitializer(String line) {
        Objects.requireNonNull(line, "line");
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("the initializer must be one line, got '" + Items.abbreviate(line) + "'");
        }
        return new ProcessWorkers(command, workers, inFlightPerWorker, eager, workingDirectory, environment,
                line, stopTimeout, maxLineLength, restartLimit, stderrLines);
    }

    /**
     * Returns a copy that gives each worker {@code timeout} to exit once its input is closed, at the end
     * of the run or when the run stops early; a worker still running then is killed (with its child
     * processes).
     *
     * @param timeout zero (kill at once) or more
     * @return a copy
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public ProcessWorkers withStopTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("stopTimeout must not be negative, got " + timeout);
        }
        return new ProcessWorkers(command, workers, inFlightPerWorker, eager, workingDirectory, environment,
                initializer, timeout, maxLineLength, restartLimit, stderrLines);
    }

    /**
     * Returns a copy that takes answer lines of at most {@code maxLength} characters; a longer answer is
     * malformed (its item fails, the rest of the line is passed over, the worker goes on).
     *
     * @param maxLength characters, 1 to 1,073,741,824
     * @return a copy
     * @throws IllegalArgumentException if {@code maxLength} is out of range
     */
    public ProcessWorkers withMaxLineLength(int maxLength) {
        if (maxLength < 1 || maxLength > (1 << 30)) {
            throw new IllegalArgumentException("maxLineLength must be between 1 and 1073741824, got " + maxLength);
        }
        return new ProcessWorkers(command, workers, inFlightPerWorker, eager, workingDirectory, environment,
                initializer, stopTimeout, maxLength, restartLimit, stderrLines);
    }

    /**
     * Returns a copy that fails the run when workers die (exit, crash, or are killed for a timeout)
     * more than {@code limit} times in a row with no answer from any worker in between: a command that
     * cannot work fails the run instead of restarting for ever.
     *
     * @param limit deaths in a row, 0 (the first death fails the run) or more
     * @return a copy
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public ProcessWorkers withRestartLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("restartLimit must not be negative, got " + limit);
        }
        return new ProcessWorkers(command, workers, inFlightPerWorker, eager, workingDirectory, environment,
                initializer, stopTimeout, maxLineLength, limit, stderrLines);
    }

    /**
     * Returns a copy that keeps the last {@code lines} lines of each worker's standard error (each cut to
     * 500 characters) for the failures it causes.
     *
     * @param lines lines kept, 0 to 1,000
     * @return a copy
     * @throws IllegalArgumentException if {@code lines} is out of range
     */
    public ProcessWorkers withStderrLines(int lines) {
        if (lines < 0 || lines > 1000) {
            throw new IllegalArgumentException("stderrLines must be between 0 and 1000, got " + lines);
        }
        return new ProcessWorkers(command, workers, inFlightPerWorker, eager, workingDirectory, environment,
                initializer, stopTimeout, maxLineLength, restartLimit, lines);
    }

    /**
     * Returns the command line that starts a worker.
     *
     * @return the program and its arguments
     */
    public List<String> command() {
        return command;
    }

    /**
     * Returns the number of worker processes.
     *
     * @return at least 1
     */
    public int workers() {
        return workers;
    }

    /**
     * Returns the most items a worker holds at once.
     *
     * @return at least 1
     */
    public int inFlightPerWorker() {
        return inFlightPerWorker;
    }

    /**
     * Returns whether every worker starts when the run starts.
     *
     * @return {@code false} if workers start when first needed
     */
    public boolean eager() {
        return eager;
    }

    /**
     * Returns the workers' working directory.
     *
     * @return the directory, or empty for the JVM's own
     */
    public Optional<Path> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    /**
     * Returns the environment variables set for the workers, on top of the JVM's.
     *
     * @return an unmodifiable map, in the order they were set
     */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * Returns the line each worker reads first.
     *
     * @return the line, or empty if there is none
     */
    public Optional<String> initializer() {
        return Optional.ofNullable(initializer);
    }

    /**
     * Returns how long a worker may take to exit once its input is closed.
     *
     * @return the timeout
     */
    public Duration stopTimeout() {
        return stopTimeout;
    }

    /**
     * Returns the longest answer line, in characters.
     *
     * @return the limit
     */
    public int maxLineLength() {
        return maxLineLength;
    }

    /**
     * Returns the deaths in a row the stage takes before it fails the run.
     *
     * @return the limit
     */
    public int restartLimit() {
        return restartLimit;
    }

    /**
     * Returns the lines of standard error kept per worker.
     *
     * @return the number of lines
     */
    public int stderrLines() {
        return stderrLines;
    }

    /**
     * Describes the workers in one line, as {@link Pipeline#describe()} prints them.
     *
     * @return for example {@code "workers=4 in-flight=16 lazy [python3 worker.py]"}
     */
    public String describe() {
        return "workers=" + workers + " in-flight=" + inFlightPerWorker + (eager ? " eager" : " lazy")
                + " [" + String.join(" ", command) + "]";
    }

    @Override
    public String toString() {
        return "ProcessWorkers[" + describe() + "]";
    }
}
