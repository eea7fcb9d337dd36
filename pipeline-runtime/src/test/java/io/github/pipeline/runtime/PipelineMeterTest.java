package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The list of meters: names, units and descriptions as the style asks. */
class PipelineMeterTest {

    @Test
    void namesAreLowercaseDottedUniqueAndWithoutUnits() {
        Set<String> names = Arrays.stream(PipelineMeter.values()).map(PipelineMeter::meterName)
                .collect(Collectors.toSet());
        assertThat(names).hasSameSizeAs(PipelineMeter.values());
        for (PipelineMeter meter : PipelineMeter.values()) {
            assertThat(meter.meterName()).as(meter.name()).matches("pipeline(\\.[a-z]+)+")
                    .doesNotContain("seconds", "bytes", "total", "nanos", "millis");
        }
    }

    @Test
    void everyMeterHasAUnitADescriptionAndOnlyTheAllowedTags() {
        for (PipelineMeter meter : PipelineMeter.values()) {
            assertThat(meter.baseUnit()).as(meter.name()).isIn("items", "calls", "seconds", "bytes", "runs", "processes");
            assertThat(meter.description()).as(meter.name()).isNotBlank().doesNotEndWith(".");
            assertThat(meter.tags()).as(meter.name()).contains(PipelineMeter.PIPELINE)
                    .isSubsetOf(PipelineMeter.PIPELINE, PipelineMeter.STAGE, PipelineMeter.STATUS, PipelineMeter.WORKER);
        }
        assertThat(PipelineMeter.RUNS.tags()).containsExactlyInAnyOrder("pipeline", "status");
        assertThat(PipelineMeter.STAGE_CALLS.tags()).containsExactlyInAnyOrder("pipeline", "stage");
        assertThat(PipelineMeter.STAGE_WORKER_BUSY.tags()).containsExactlyInAnyOrder("pipeline", "stage", "worker");
    }
}
