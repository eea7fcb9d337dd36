package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code docs/observability.md} lists exactly the meters of {@link PipelineMeter}, as this test writes them. */
class ObservabilityDocTest {

    private static final Path DOC = Path.of("..", "docs", "observability.md");
    private static final String BEGIN = "<!-- meters: begin (generated from PipelineMeter, checked by ObservabilityDocTest) -->";
    private static final String END = "<!-- meters: end -->";

    /** The table of meters as the doc must hold it. */
    static String table() {
        StringBuilder sb = new StringBuilder("| meter | type | unit | tags | description |\n|---|---|---|---|---|\n");
        for (PipelineMeter meter : PipelineMeter.values()) {
            sb.append("| `").append(meter.meterName()).append("` | ")
                    .append(meter.type().name().toLowerCase(Locale.ROOT)).append(" | ").append(meter.baseUnit())
                    .append(" | ").append(String.join(", ", new TreeSet<>(meter.tags()))).append(" | ")
                    .append(meter.description()).append(" |\n");
        }
        return sb.toString();
    }

    @Test
    void theDocListsEveryMeterOfTheEnum() throws IOException {
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("the doc marks its table with " + BEGIN).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String listed = doc.substring(begin + BEGIN.length(), end).strip() + "\n";
        assertThat(listed).as("the table of meters in " + DOC + "; paste this one:\n" + table()).isEqualTo(table());
    }
}
