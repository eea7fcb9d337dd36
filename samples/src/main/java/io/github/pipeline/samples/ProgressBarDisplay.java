package io.github.pipeline.samples;

import io.github.pipeline.api.Progress;
import io.github.pipeline.api.ProgressListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress as a live bar on a terminal, drawn by {@code me.tongfei:progressbar}: the share of the
 * source read (in MiB when the source counts bytes, in items when it knows how many, else a count with
 * no end), the rate, and the time left as the engine's {@link Progress#eta()} estimates it. The bar is
 * made at the first snapshot, so a run shorter than one interval draws nothing, and closed at the last.
 */
final class ProgressBarDisplay implements ProgressListener {

    private static final long MIB = 1L << 20;

    private final PrintStream terminal;
    private volatile ProgressBar bar;
    private volatile Optional<Duration> eta = Optional.empty();

    ProgressBarDisplay(PrintStream terminal) {
        this.terminal = terminal;
    }

    @Override
    public void onProgress(Progress progress) {
        eta = progress.eta();
        boolean bytes = progress.sourceBytesTotal().isPresent();
        ProgressBar current = bar;
        if (current == null) {
            if (progress.done()) {
                return;
            }
            current = open(progress, bytes);
            bar = current;
        }
        current.stepTo(bytes ? progress.sourceBytesRead() : progress.sourceItems());
        current.setExtraMessage(ProgressText.rates(progress));
        if (progress.done()) {
            current.close();
            bar = null; // the pipeline may run again
        }
    }

    private ProgressBar open(Progress progress, boolean bytes) {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(progress.pipeline())
                .setConsumer(new ConsoleProgressBarConsumer(terminal))
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUpdateIntervalMillis((int) ProgressOptions.BAR_INTERVAL_MILLIS)
                .setEtaFunction(state -> eta);
        if (bytes) {
            builder.setInitialMax(progress.sourceBytesTotal().getAsLong()).setUnit(" MiB", MIB);
        } else {
            builder.setInitialMax(progress.sourceSize().orElse(-1)).setUnit(" items", 1);
        }
        return builder.build();
    }
}
