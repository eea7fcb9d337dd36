package io.github.pipeline.runtime;

import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.SweepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * The report of a run, for people: as plain text for logs and terminals, and as one self-contained HTML
 * page (inline SVG and CSS, no script, nothing fetched from the network) with the stage graph, the
 * throughput and time split of each stage, the bottleneck highlighted, and the speedup chart: Amdahl's
 * law and the streaming bound predicted from the profile, and the speedups a {@link
 * io.github.pipeline.api.SpeedupSweep sweep} measured, when there is one. Immutable.
 *
 * <pre>{@code
 * RunResult<Long> result = pipeline.run();
 * System.err.println(RunReport.of(result).text());
 * RunReport.of(result).withSweep(sweep).writeHtml(Path.of("report.html"));
 * }</pre>
 */
public final class RunReport {

    private final RunResult<?> result;
    private final SweepResult sweep;

    private RunReport(RunResult<?> result, SweepResult sweep) {
        this.result = result;
        this.sweep = sweep;
    }

    /**
     * Creates the report of a run.
     *
     * @param result the run's result, with its profile
     * @return the report
     */
    public static RunReport of(RunResult<?> result) {
        return new RunReport(Objects.requireNonNull(result, "result"), null);
    }

    /**
     * Returns a copy that also shows the speedups a sweep measured.
     *
     * @param sweep the sweep's result
     * @return the copy
     */
    public RunReport withSweep(SweepResult sweep) {
        return new RunReport(result, Objects.requireNonNull(sweep, "sweep"));
    }

    /**
     * Returns the run's result.
     *
     * @return the result the report describes
     */
    public RunResult<?> result() {
        return result;
    }

    /**
     * Returns the sweep shown in the report.
     *
     * @return the sweep, or empty if none was given
     */
    public Optional<SweepResult> sweep() {
        return Optional.ofNullable(sweep);
    }

    /**
     * Describes the run as plain text: its summary (per-stage counts), its profile (per-stage time, the
     * bottleneck, the speedup model, the suggestions) and the sweep, if any.
     *
     * @return a multi-line text
     */
    public String text() {
        StringBuilder sb = new StringBuilder(result.summary());
        sb.append(result.profile().text());
        if (sweep != null) {
            sb.append(sweep.text());
        }
        return sb.toString();
    }

    /**
     * Renders the report as a self-contained HTML page, well-formed as XML.
     *
     * @return the page
     */
    public String html() {
        return new HtmlReport(result, sweep).render();
    }

    /**
     * Writes {@link #html()} to {@code file} in UTF-8: to a temporary file beside it first, then moved
     * into place, so that a reader never sees half a report.
     *
     * @param file where to write
     * @return {@code file}
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public Path writeHtml(Path file) {
        Objects.requireNonNull(file, "file");
        Path absolute = file.toAbsolutePath();
        try {
            Path temporary = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".part");
            try {
                Files.writeString(temporary, html(), StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                    Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run report to " + file + ": " + e, e);
        }
        return file;
    }
}
