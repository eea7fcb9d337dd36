package io.github.pipeline.samples;

import io.github.pipeline.api.Progress;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Formats a {@link Progress} snapshot for people: the share read, bytes and items with their rates,
 * the time so far and the estimate of the time left.
 *
 * <p>Rates are those of the source (items and bytes read per second), not {@link Progress#itemsPerSecond()},
 * which counts what the sink took: behind an aggregate stage the sink takes nothing until the input
 * has ended, so its rate would read 0 for most of the run.
 */
final class ProgressText {

    private ProgressText() {
    }

    /**
     * One line: {@code "word-count: 42% read, 430 MiB of 1.0 GiB at 35 MiB/s, 7.8M items at 650k/s,
     * 0:00:12 so far, about 0:00:16 left"}; a finished run's line starts {@code "word-count: done, "}.
     */
    static String line(Progress progress) {
        StringBuilder line = new StringBuilder(progress.pipeline()).append(": ");
        if (progress.done()) {
            line.append("done, ");
        }
        OptionalDouble fraction = progress.fractionRead();
        if (fraction.isPresent()) {
            line.append(String.format(Locale.ROOT, "%.0f%% read, ", 100 * fraction.getAsDouble()));
        }
        double seconds = seconds(progress.elapsed());
        if (progress.sourceBytesTotal().isPresent()) {
            line.append(bytes(progress.sourceBytesRead())).append(" of ")
                    .append(bytes(progress.sourceBytesTotal().getAsLong()))
                    .append(" at ").append(bytes(rate(progress.sourceBytesRead(), seconds))).append("/s, ");
        }
        line.append(count(progress.sourceItems())).append(" items at ")
                .append(count(rate(progress.sourceItems(), seconds))).append("/s, ")
                .append(duration(progress.elapsed())).append(" so far");
        if (!progress.done()) {
            progress.eta().ifPresent(eta -> line.append(", about ").append(duration(eta)).append(" left"));
        }
        return line.toString();
    }

    /** The rate of the source's items and bytes, for the progress bar's extra message. */
    static String rates(Progress progress) {
        double seconds = seconds(progress.elapsed());
        String items = count(rate(progress.sourceItems(), seconds)) + " items/s";
        return progress.sourceBytesTotal().isPresent()
                ? items + ", " + bytes(rate(progress.sourceBytesRead(), seconds)) + "/s"
                : items;
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }

    static String count(long n) {
        if (n < 1000) {
            return Long.toString(n);
        }
        double value = n;
        String[] units = {"k", "M", "G", "T"};
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.1f%s" : "%.0f%s", value, units[unit]);
    }

    static String duration(Duration duration) {
        long s = Math.max(0, duration.toSeconds());
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static double seconds(Duration elapsed) {
        return elapsed.toNanos() / 1e9;
    }

    private static long rate(long amount, double seconds) {
        return seconds <= 0 ? 0 : Math.round(amount / seconds);
    }
}
