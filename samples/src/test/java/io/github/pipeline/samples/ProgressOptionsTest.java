package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Progress;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

class ProgressOptionsTest {

    private static final long MIB = 1L << 20;

    private static Progress snapshot(String pipeline, long seconds, long items, OptionalLong size, long bytesRead,
                                     OptionalLong bytesTotal, boolean done) {
        return new Progress(pipeline, Duration.ofSeconds(seconds), items, size, bytesRead, bytesTotal, List.of(),
                0, done);
    }

    @Test
    void aLineSaysTheShareReadTheRatesTheTimeAndTheTimeLeft() {
        Progress progress = snapshot("word-count", 10, 7_800_000, OptionalLong.empty(), 450 * MIB,
                OptionalLong.of(1024 * MIB), false);

        assertThat(ProgressText.line(progress)).isEqualTo("word-count: 44% read, 450 MiB of 1.0 GiB at 45 MiB/s, "
                + "7.8M items at 780k/s, 0:00:10 so far, about 0:00:12 left");
    }

    @Test
    void aLineWithoutSizesHasNoShareAndNoEstimate() {
        assertThat(ProgressText.line(snapshot("cubes", 2, 1500, OptionalLong.empty(), 0, OptionalLong.empty(), false)))
                .isEqualTo("cubes: 1.5k items at 750/s, 0:00:02 so far");
        assertThat(ProgressText.line(snapshot("cubes", 2, 1500, OptionalLong.of(3000), 0, OptionalLong.empty(), false)))
                .isEqualTo("cubes: 50% read, 1.5k items at 750/s, 0:00:02 so far, about 0:00:02 left");
    }

    @Test
    void linesComeOnePerSnapshotAndALastOneOnlyAfterOthers() {
        StringWriter text = new StringWriter();
        ProgressLines lines = new ProgressLines(new PrintWriter(text));

        lines.onProgress(snapshot("short", 0, 10, OptionalLong.of(10), 0, OptionalLong.empty(), true));
        assertThat(text.toString()).isEmpty();

        lines.onProgress(snapshot("long", 10, 100, OptionalLong.of(400), 0, OptionalLong.empty(), false));
        lines.onProgress(snapshot("long", 20, 200, OptionalLong.of(400), 0, OptionalLong.empty(), false));
        lines.onProgress(snapshot("long", 25, 400, OptionalLong.of(400), 0, OptionalLong.empty(), true));

        assertThat(text.toString().lines()).containsExactly(
                "long: 25% read, 100 items at 10/s, 0:00:10 so far, about 0:00:30 left",
                "long: 50% read, 200 items at 10/s, 0:00:20 so far, about 0:00:20 left",
                "long: done, 100% read, 400 items at 16/s, 0:00:25 so far");
    }

    @Test
    void sizesAndCountsReadEasily() {
        assertThat(ProgressText.bytes(512)).isEqualTo("512 B");
        assertThat(ProgressText.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(ProgressText.bytes(300 * MIB)).isEqualTo("300 MiB");
        assertThat(ProgressText.count(999)).isEqualTo("999");
        assertThat(ProgressText.count(12_345_678)).isEqualTo("12M");
        assertThat(ProgressText.duration(Duration.ofSeconds(3_725))).isEqualTo("1:02:05");
    }

    /** A sample that shows which progress listener its pipeline got, and feeds it a snapshot. */
    @Command(name = "watched")
    static final class Watched implements Callable<Integer> {
        @Mixin
        ProgressOptions progress;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Pipeline<Long> pipeline = progress.watch(Pipeline.named("watched").from(Source.range(0, 3)).to(Sink.count()));
            spec.commandLine().getOut().println(pipeline.progressListener().map(l -> l.getClass().getSimpleName())
                    .orElse("none") + " " + pipeline.progressInterval().map(Duration::toString).orElse("-"));
            pipeline.progressListener().ifPresent(listener -> listener.onProgress(
                    snapshot("watched", 10, 2, OptionalLong.of(3), 0, OptionalLong.empty(), false)));
            return 0;
        }
    }

    @Test
    void withoutATerminalProgressIsPlainLinesOnTheCommandsStderr() {
        Cli cli = Cli.runWith(new Watched(), "watched");

        assertThat(cli.status()).isZero();
        assertThat(cli.out()).isEqualTo("ProgressLines PT10S\n");
        assertThat(cli.errLines()).containsExactly("watched: 67% read, 2 items at 0/s, 0:00:10 so far, about 0:00:05 left");
    }

    @Test
    void quietTurnsProgressOff() {
        Cli cli = Cli.runWith(new Watched(), "watched", "--quiet");

        assertThat(cli.status()).isZero();
        assertThat(cli.out()).isEqualTo("none -\n");
        assertThat(cli.err()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cube", "starmap", "map-async", "demo", "io-fanout", "amdahl", "wordcount",
        "csv-aggregate"})
    void everyPipelineSampleTakesQuiet(String sample) {
        Cli cli = Cli.run(sample, "--help");

        assertThat(cli.out()).contains("-q, --quiet");
    }
}
