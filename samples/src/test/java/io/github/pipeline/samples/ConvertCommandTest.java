package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Checkpoints;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.io.DatasetGenerator;
import io.github.pipeline.runtime.ReactorEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {

    @TempDir
    Path dir;

    @Test
    void rowsBecomeJsonObjectsInTheirOrder() throws Exception {
        Path csv = Files.writeString(dir.resolve("in.csv"), "id,name\n1,\"Zoë, the first\"\n2,b\n");
        Path out = dir.resolve("out.jsonl");

        Cli cli = Cli.run("convert", "--input", csv.toString(), "--output", out.toString(), "-q");

        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(out).hasContent("{\"id\":\"1\",\"name\":\"Zoë, the first\"}\n{\"id\":\"2\",\"name\":\"b\"}");
        assertThat(cli.err()).contains("wrote 2 lines to " + out);
    }

    @Test
    void aRunStartedAgainAfterItWasStoppedResumesAndWritesTheSameBytes() throws Exception {
        Path csv = dir.resolve("in.csv");
        DatasetGenerator.csv().withSeed(5).withRows(60_000).writeTo(csv);
        Path expected = dir.resolve("expected.jsonl");
        assertThat(Cli.run("convert", "--input", csv.toString(), "--output", expected.toString(), "-q").status())
                .isZero();
        Path out = dir.resolve("out.jsonl");
        Path checkpoint = dir.resolve("convert.checkpoint");

        // the first run dies part way: the same pipeline the command runs, cancelled once a checkpoint exists
        Execution<Long> first = ConvertCommand.convert(csv, out, 2)
                .withCheckpoints(Checkpoints.to(checkpoint).every(Duration.ofMillis(5)))
                .start(ReactorEngine.create());
        while (!first.isDone() && !Files.exists(checkpoint)) {
            Thread.onSpinWait();
        }
        first.cancel();
        try {
            first.await();
        } catch (PipelineCancelledException expectedStop) {
            // stopped part way, as asked
        }
        assertThat(checkpoint).as("the first run stopped part way, after a checkpoint").exists();

        Cli cli = Cli.run("convert", "--input", csv.toString(), "--output", out.toString(), "--checkpoint",
                checkpoint.toString(), "-q");

        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(cli.err()).contains("resuming from " + checkpoint);
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(expected));
        assertThat(checkpoint).doesNotExist();
    }
}
