package io.github.pipeline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The profiles command runs each workload's default pipeline and prints the engine's profile of it. */
class WorkloadProfilesTest {

    @Test
    void printsAProfileOfEachWorkload() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WorkloadProfiles.print(0.002, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("== cheap function, 20000 items: ", "profile of 'cube-defaults'",
                "== CPU-heavy function, 400 items", "profile of 'heavy-defaults'",
                "== blocking calls of 10 ms, 4 items, 256 at once", "profile of 'sleep-defaults'",
                "== CSV lines parsed, scored and summed per key, 200 lines", "profile of 'csv-defaults'");
        assertThat(out.split("bottleneck: '", -1)).hasSize(5);
    }
}
