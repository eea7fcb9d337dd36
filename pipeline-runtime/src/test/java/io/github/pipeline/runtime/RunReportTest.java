package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.SpeedupSweep;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.SweepResult;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report as text and as HTML: well-formed, self-contained, with the stages, the bottleneck and the chart. */
class RunReportTest {

    private final ReactorEngine engine = ReactorEngine.create();

    private static Pipeline<Long> pipeline(int n) {
        return Pipeline.named("reported")
                .from(Source.range(0, 200))
                .map("parse", x -> RunProfilerTest.spin(x, 1))
                .map("score", x -> RunProfilerTest.spin(x, 30), StageOptions.parallel(n))
                .filter("keep", x -> x % 3 != 0)
                .to(Sink.count());
    }

    static Document parse(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Document document, String tag) {
        NodeList nodes = document.getElementsByTagName(tag);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    private static Element byId(Document document, String tag, String id) {
        return elements(document, tag).stream().filter(e -> id.equals(e.getAttribute("id"))).findFirst().orElseThrow();
    }

    @Test
    void theHtmlIsWellFormedSelfContainedAndShowsStagesBottleneckAndChart() throws Exception {
        SweepResult sweep = SpeedupSweep.of(RunReportTest::pipeline).withParallelismUpTo(2).withRepetitions(1)
                .withWarmups(0).run(engine);
        RunResult<Long> result = pipeline(2).run(engine);

        String html = RunReport.of(result).withSweep(sweep).html();
        Document document = parse(html);

        List<String> nodes = elements(document, "g").stream().map(g -> g.getAttribute("data-stage"))
                .filter(s -> !s.isEmpty()).toList();
        assertThat(nodes).containsExactly("<source>", "parse", "score", "keep", "<sink>");
        Element bottleneck = elements(document, "rect").stream()
                .filter(r -> r.getAttribute("class").contains("bottleneck")).findFirst().orElseThrow();
        assertThat(((Element) bottleneck.getParentNode()).getAttribute("data-stage")).isEqualTo("score");
        assertThat(byId(document, "table", "stages").getTextContent()).contains("parse", "score", "keep");

        Element chart = byId(document, "svg", "amdahl-chart");
        assertThat(chart.getElementsByTagName("polyline").getLength()).isEqualTo(3);
        assertThat(elements(document, "circle").stream().filter(c -> "measured".equals(c.getAttribute("class"))))
                .hasSize(2);
        assertThat(byId(document, "svg", "time-split")).isNotNull();
        assertThat(byId(document, "table", "sweep").getTextContent()).contains("Karp-Flatt");

        assertNothingExternal(html);
    }

    static void assertNothingExternal(String html) {
        assertThat(html).doesNotContain("http:", "https:", "//", "<script", "<link", "src=", "@import");
        Matcher urls = Pattern.compile("url\\(([^)]*)\\)").matcher(html);
        while (urls.find()) {
            assertThat(urls.group(1)).startsWith("#");
        }
        Matcher hrefs = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
        while (hrefs.find()) {
            assertThat(hrefs.group(1)).startsWith("#");
        }
    }

    @Test
    void anUnprofiledRunStillGivesAWellFormedPageWithItsCounts() throws Exception {
        RunResult<Long> result = pipeline(2).run(engine.withProfiling(false));
        String html = RunReport.of(result).html();
        Document document = parse(html);
        assertThat(byId(document, "table", "counts").getTextContent()).contains("parse", "score", "keep");
        assertThat(html).contains("not profiled");
        assertNothingExternal(html);
    }

    @Test
    void theTextHasTheSummaryTheProfileAndTheSweep() {
        SweepResult sweep = SpeedupSweep.of(RunReportTest::pipeline).withParallelismUpTo(2).withRepetitions(1)
                .withWarmups(0).run(engine);
        RunResult<Long> result = pipeline(2).run(engine);
        String text = RunReport.of(result).withSweep(sweep).text();
        assertThat(text).contains("pipeline 'reported' finished", "profile of 'reported'", "*score",
                "Amdahl S(n)", "speedup sweep of 'reported'", "suggestions:");
    }

    @Test
    void writesTheHtmlInPlaceAndNamesTheFileItCannotWrite(@TempDir Path dir) throws Exception {
        RunResult<Long> result = pipeline(1).run(engine);
        Path file = RunReport.of(result).writeHtml(dir.resolve("report.html"));
        assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>").contains("reported");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        Path missing = dir.resolve("no-such-dir").resolve("report.html");
        assertThatThrownBy(() -> RunReport.of(result).writeHtml(missing))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void escapesWhatXmlWouldMisread() {
        assertThat(HtmlReport.escape("a<b & \"c\" 'd'>")).isEqualTo("a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
    }
}
