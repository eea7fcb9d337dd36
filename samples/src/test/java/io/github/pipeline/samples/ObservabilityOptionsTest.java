package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.runtime.ReactorEngine;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;

/** The --report and --metrics-port options, and the Prometheus endpoint behind the second. */
class ObservabilityOptionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"cube", "starmap", "map-async"})
    void reportWritesAWellFormedPageWithTheStages(String sample, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.html");
        Cli cli = Cli.run(sample, "--count", "2000", "--parallelism", "2", "--report", report.toString());

        assertThat(cli.status()).isZero();
        assertThat(cli.err()).contains("report: " + report);
        String html = Files.readString(report);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        Document page = factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        assertThat(page.getElementsByTagName("svg").getLength()).isGreaterThanOrEqualTo(3);
        assertThat(html).contains("data-stage=\"" + (sample.equals("starmap") ? "f2" : "f") + "\"")
                .doesNotContain("http:", "https:");
    }

    @Test
    void theDemoWritesItsReportToo(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("demo.html");
        Cli cli = Cli.run("demo", "--records", "3000", "--report", report.toString());

        assertThat(cli.status()).isZero();
        assertThat(Files.readString(report)).contains("data-stage=\"score\"", "data-stage=\"store\"", "amdahl-chart");
    }

    @Test
    void aReportIntoAMissingDirectoryIsAUsageError(@TempDir Path dir) {
        Cli cli = Cli.run("cube", "--count", "10", "--report", dir.resolve("nowhere").resolve("r.html").toString());

        assertThat(cli.status()).isEqualTo(SamplesCommand.USAGE_ERROR);
        assertThat(cli.err()).contains("--report: the directory of", "does not exist");
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        Cli cli = Cli.run("cube", "--count", "10", "--metrics-port", "70000");

        assertThat(cli.status()).isEqualTo(SamplesCommand.USAGE_ERROR);
        assertThat(cli.err()).contains("--metrics-port must be between 0 and 65535, got 70000");
    }

    @Test
    void metricsPortServesOnLoopbackWhileTheSampleRuns() {
        Cli cli = Cli.run("cube", "--count", "1000", "--metrics-port", "0");

        assertThat(cli.status()).isZero();
        assertThat(cli.err()).containsPattern("metrics: http://127\\.0\\.0\\.1:\\d+/metrics");
    }

    @Test
    void theServerExposesThePipelineAndJvmMetersForPrometheus() throws Exception {
        try (MetricsServer server = MetricsServer.start(0)) {
            CubeCommand.sumOfCubes(500, 2).run(ReactorEngine.create(server.registry()));

            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url())).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(server.url()).startsWith("http://127.0.0.1:");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(response.body())
                    .contains("pipeline_stage_received_items_total{pipeline=\"sum-of-cubes\",stage=\"f\"} 500.0")
                    .contains("pipeline_sink_items_total{pipeline=\"sum-of-cubes\"} 500.0")
                    .contains("pipeline_runs_seconds_count{pipeline=\"sum-of-cubes\",status=\"succeeded\"} 1")
                    .contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage", "jvm_gc_");
        }
    }
}
