package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.pipeline.api.RunResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    private static final int RECORDS = 20_000;
    private static final long SEED = 42;

    /** The demo's aggregate computed in a plain loop, without a pipeline. */
    private static Map<String, SensorStats> expected(int records, long seed) {
        SensorFeed feed = new SensorFeed(seed);
        Map<String, SensorStats> totals = new TreeMap<>();
        for (int i = 0; i < records; i++) {
            String[] fields = feed.get().split(",");
            if (fields[2].equals("n/a")) {
                continue;
            }
            double celsius = Double.parseDouble(fields[2]);
            double z = (celsius - SensorFeed.nominal(fields[0])) / SensorFeed.SPREAD;
            SensorStats one = new SensorStats(1, celsius, celsius, celsius,
                    ScoredReading.tailProbability(z) < 0.001 ? 1 : 0, Instant.parse(fields[1]));
            totals.merge(fields[0], one, SensorStats::plus);
        }
        return totals;
    }

    @Test
    void printsPerSensorStatisticsThatAgreeWithAPlainLoop() {
        Map<String, SensorStats> expected = expected(RECORDS, SEED);

        Cli cli = Cli.run("demo", "--records", Integer.toString(RECORDS), "--parallelism", "2");

        assertThat(cli.status()).isZero();
        List<String> lines = cli.outLines();
        assertThat(lines).hasSize(1 + SensorFeed.SENSORS + 1);
        assertThat(lines.get(0)).startsWith("sensor").contains("readings", "mean(C)", "anomalies");
        int row = 1;
        for (Map.Entry<String, SensorStats> entry : expected.entrySet()) {
            String[] columns = lines.get(row++).trim().split("\\s+");
            SensorStats stats = entry.getValue();
            assertThat(columns[0]).isEqualTo(entry.getKey());
            assertThat(Long.parseLong(columns[1])).as(entry.getKey()).isEqualTo(stats.readings());
            assertThat(Double.parseDouble(columns[2])).as(entry.getKey()).isCloseTo(stats.mean(), within(0.006));
            assertThat(Long.parseLong(columns[5])).as(entry.getKey()).isEqualTo(stats.anomalies());
        }
        long total = expected.values().stream().mapToLong(SensorStats::readings).sum();
        assertThat(lines.get(row).trim().split("\\s+")[1]).isEqualTo(Long.toString(total));

        assertThat(cli.err())
                .contains("pipeline 'sensor-report'", "map      'score'", "blocking")
                .contains("pipeline 'sensor-report' finished", RECORDS + " items from the source")
                .contains("store: " + total + " readings written");
    }

    @Test
    void thePipelineValueMatchesAPlainLoopAndEveryItemIsAccountedFor() {
        Map<String, SensorStats> expected = expected(RECORDS, SEED);
        SimulatedStore store = new SimulatedStore(Duration.ZERO);

        RunResult<SortedMap<String, SensorStats>> result =
                DemoCommand.sensorReport(RECORDS, SEED, 3, store).run().verifyBalanced();

        assertThat(result.value()).containsOnlyKeys(expected.keySet());
        expected.forEach((sensor, stats) -> {
            SensorStats actual = result.value().get(sensor);
            assertThat(actual.readings()).as(sensor).isEqualTo(stats.readings());
            assertThat(actual.sum()).as(sensor).isCloseTo(stats.sum(), within(1e-6));
            assertThat(actual.min()).as(sensor).isEqualTo(stats.min());
            assertThat(actual.max()).as(sensor).isEqualTo(stats.max());
            assertThat(actual.anomalies()).as(sensor).isEqualTo(stats.anomalies());
            assertThat(actual.lastSeen()).as(sensor).isEqualTo(stats.lastSeen());
        });
        long total = expected.values().stream().mapToLong(SensorStats::readings).sum();
        assertThat(result.stage("drop-offline").filtered()).isEqualTo(RECORDS - total);
        assertThat(store.items()).isEqualTo(total);
        assertThat(store.batches()).isEqualTo((total + DemoCommand.BATCH_SIZE - 1) / DemoCommand.BATCH_SIZE);
    }

    @Test
    void theSameSeedGivesTheSameReport() {
        Cli first = Cli.run("demo", "--records", "5000", "--seed", "7");
        Cli second = Cli.run("demo", "--records", "5000", "--seed", "7", "--parallelism", "1");
        Cli other = Cli.run("demo", "--records", "5000", "--seed", "8");

        assertThat(first.status()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(other.out()).isNotEqualTo(first.out());
    }

    @Test
    void noRecordsPrintsTheHeaderOnly() {
        Cli cli = Cli.run("demo", "--records", "0");

        assertThat(cli.status()).isZero();
        assertThat(cli.outLines()).singleElement().asString().startsWith("sensor");
    }

    @Test
    void theFeedMakesCsvLines() {
        SensorFeed feed = new SensorFeed(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(feed.get()).matches("sensor-\\d\\d,2026-01-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ,(n/a|\\d+\\.\\d)");
        }
    }

    @Test
    void parsesALineAndRejectsAMalformedOne() {
        assertThat(Reading.parse("sensor-17,2026-01-01T00:00:00Z,23.5"))
                .isEqualTo(new Reading("sensor-17", Instant.parse("2026-01-01T00:00:00Z"), 23.5));
        assertThatThrownBy(() -> Reading.parse("sensor-17;23.5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sensor-17;23.5");
    }

    @Test
    void theTailProbabilityMatchesTheNormalTable() {
        assertThat(ScoredReading.tailProbability(0)).isCloseTo(1.0, within(1e-12));
        assertThat(ScoredReading.tailProbability(1.959964)).isCloseTo(0.05, within(1e-6));
        assertThat(ScoredReading.tailProbability(-2.575829)).isCloseTo(0.01, within(1e-6));
        assertThat(ScoredReading.tailProbability(3.290527)).isCloseTo(0.001, within(1e-6));
        assertThat(ScoredReading.tailProbability(50)).isCloseTo(0.0, within(1e-12));
    }
}
