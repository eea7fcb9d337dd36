package io.github.pipeline.runtime;

import io.github.pipeline.api.RunProfile;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.SpeedupModel;
import io.github.pipeline.api.StageProfile;
import io.github.pipeline.api.StageStats;
import io.github.pipeline.api.SweepPoint;
import io.github.pipeline.api.SweepResult;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@link RunReport#html()}: one page, well-formed as XML, styled by an inline style sheet, drawn
 * with inline SVG, without scripts and without any address outside the page.
 */
final class HtmlReport {

    private static final String STYLE = String.join("\n",
            "body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 70em; }",
            "h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }",
            "table { border-collapse: collapse; font-size: 0.9em; }",
            "th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.6em; text-align: right; }",
            "th:first-child, td:first-child, td.text { text-align: left; }",
            "tr.bottleneck td { background: #fdecea; font-weight: bold; }",
            ".note { color: #555; font-size: 0.9em; }",
            "svg text { font-family: system-ui, sans-serif; font-size: 12px; fill: #222; }",
            "rect.stage { fill: #eef3fb; stroke: #4a6fa5; stroke-width: 1.5; }",
            "rect.stage.bottleneck { fill: #fdecea; stroke: #c0392b; stroke-width: 3; }",
            "text.bottleneck { fill: #c0392b; font-weight: bold; }");

    private static final String CPU = "#4a6fa5";
    private static final String CORE_WAIT = "#e59c3c";
    private static final String OFF_CPU = "#9aa5b1";
    private static final String BLOCKED = "#8e5ea2";

    private final RunResult<?> result;
    private final RunProfile profile;
    private final SweepResult sweep;
    private final StringBuilder out = new StringBuilder();

    HtmlReport(RunResult<?> result, SweepResult sweep) {
        this.result = result;
        this.profile = result.profile();
        this.sweep = sweep;
    }

    String render() {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>Run report: ")
                .append(escape(result.pipeline())).append("</title>\n<style>\n").append(STYLE)
                .append("\n</style>\n</head>\n<body>\n");
        out.append("<h1>Run report of pipeline '").append(escape(result.pipeline())).append("'</h1>\n");
        out.append("<p>").append(result.sourceItems()).append(" items from the source, ").append(result.sinkItems())
                .append(" into the sink, in ").append(result.duration().toMillis()).append(" ms on ")
                .append(profile.cores()).append(" cores.");
        profile.bottleneck().ifPresent(b -> out.append(" The bottleneck is <strong>").append(escape(b.name()))
                .append("</strong>: ").append(escape(b.suggestion())).append('.'));
        out.append("</p>\n");
        if (profile.coreWaitPerCpuNanosecond() >= 0.1) {
            out.append("<p class=\"note\">The machine was busy: the JVM's threads waited ")
                    .append(format("%.1f", profile.coreWaitPerCpuNanosecond()))
                    .append(" ns for a core per ns of CPU during the run, so every time here is stretched.</p>\n");
        }
        if (profile.isEmpty()) {
            out.append("<p class=\"note\">The run was not profiled: only its counts are shown.</p>\n");
            countsTable();
        } else {
            out.append("<h2>Stage graph</h2>\n");
            graph();
            out.append("<h2>Throughput and time per stage</h2>\n");
            stageTable();
            out.append("<h2>Where the time went</h2>\n");
            timeSplit();
        }
        out.append("<h2>Speedup: predicted and measured</h2>\n");
        speedupChart();
        if (sweep != null) {
            sweepTable();
        }
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private void countsTable() {
        out.append("<table id=\"counts\">\n<tr><th>stage</th><th>kind</th><th>in</th><th>out</th><th>filtered</th>"
                + "<th>skipped</th><th>dead-lettered</th><th>retried</th></tr>\n");
        for (StageStats s : result.stages()) {
            out.append("<tr><td>").append(escape(s.name())).append("</td><td class=\"text\">").append(escape(s.kind()))
                    .append("</td><td>").append(s.received()).append("</td><td>").append(s.emitted())
                    .append("</td><td>").append(s.filtered()).append("</td><td>").append(s.skipped())
                    .append("</td><td>").append(s.deadLettered()).append("</td><td>").append(s.retried())
                    .append("</td></tr>\n");
        }
        out.append("</table>\n");
    }

    /** The source, the stages and the sink as boxes in a row, joined by arrows. */
    private void graph() {
        List<StageProfile> stages = profile.stages();
        int boxWidth = 150;
        int gap = 40;
        int width = stages.size() * (boxWidth + gap);
        out.append(String.format(Locale.ROOT,
                "<svg id=\"stage-graph\" width=\"%d\" height=\"130\" viewBox=\"0 0 %d 130\" role=\"img\">\n",
                width, width));
        out.append("<title>Stage graph</title>\n");
        out.append("<defs><marker id=\"arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"7\" refY=\"4\" "
                + "orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#4a6fa5\"/></marker></defs>\n");
        for (int i = 0; i < stages.size(); i++) {
            StageProfile s = stages.get(i);
            int x = 10 + i * (boxWidth + gap);
            out.append(String.format(Locale.ROOT,
                    "<g class=\"node\" data-stage=\"%s\"><rect class=\"stage%s\" x=\"%d\" y=\"20\" width=\"%d\" "
                            + "height=\"80\" rx=\"6\"/>\n", escape(s.name()), s.bottleneck() ? " bottleneck" : "", x,
                    boxWidth));
            text(x + 8, 40, s.name(), "font-weight=\"bold\"");
            text(x + 8, 57, s.kind() + (s.parallel() ? ", " + s.slots() + " rails" : ", sequential"), "");
            text(x + 8, 74, String.format(Locale.ROOT, "%.0f items/s", s.callsPerSecond(profile.duration())), "");
            text(x + 8, 91, String.format(Locale.ROOT, "busy %.0f%%", 100 * s.utilisation()), "");
            if (s.bottleneck()) {
                out.append(String.format(Locale.ROOT, "<text class=\"bottleneck\" x=\"%d\" y=\"15\">bottleneck</text>\n",
                        x + 8));
            }
            out.append("</g>\n");
            if (i + 1 < stages.size()) {
                out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"60\" x2=\"%d\" y2=\"60\" stroke=\"#4a6fa5\" "
                        + "stroke-width=\"2\" marker-end=\"url(#arrow)\"/>\n", x + boxWidth, x + boxWidth + gap - 2));
            }
        }
        out.append("</svg>\n");
    }

    private void stageTable() {
        out.append("<table id=\"stages\">\n<tr><th>stage</th><th>kind</th><th>slots</th><th>calls</th>"
                + "<th>items/s</th><th>wall ms</th><th>CPU</th><th>waiting for a core</th><th>waiting</th>"
                + "<th>blocked ms</th><th>stalled ms</th><th>alloc/call</th><th>busy</th><th>workload</th><th>suggestion</th></tr>\n");
        for (StageProfile s : profile.stages()) {
            double wall = Math.max(1, s.wallNanos());
            out.append("<tr").append(s.bottleneck() ? " class=\"bottleneck\"" : "").append("><td>")
                    .append(escape(s.name())).append("</td><td class=\"text\">").append(escape(s.kind()))
                    .append("</td><td>").append(s.slots()).append("</td><td>").append(s.calls()).append("</td><td>")
                    .append(format("%.0f", s.callsPerSecond(profile.duration()))).append("</td><td>")
                    .append(format("%.1f", s.wallNanos() / 1e6)).append("</td><td>")
                    .append(s.cpuNanos() < 0 ? "-" : format("%.0f%%", 100 * s.cpuNanos() / wall)).append("</td><td>")
                    .append(s.cpuNanos() < 0 ? "-" : format("%.0f%%", 100 * s.coreWaitNanos() / wall)).append("</td><td>")
                    .append(s.cpuNanos() < 0 ? "-" : format("%.0f%%", 100 * s.offCpuWaitNanos() / wall))
                    .append("</td><td>").append(s.blockedNanos() < 0 ? "-" : format("%.1f", s.blockedNanos() / 1e6))
                    .append("</td><td>").append(s.hasOrderedMerge() ? format("%.1f", s.stalledNanos() / 1e6) : "-")
                    .append("</td><td>").append(s.allocatedBytes() < 0 ? "-"
                            : format("%.0f B", (double) s.allocatedBytes() / Math.max(1, s.calls())))
                    .append("</td><td>").append(format("%.0f%%", 100 * s.utilisation())).append("</td><td class=\"text\">")
                    .append(s.workload().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .append("</td><td class=\"text\">").append(escape(s.suggestion())).append("</td></tr>\n");
        }
        out.append("</table>\n<p class=\"note\">Times are estimated from a sample of the calls (")
                .append(profile.stages().stream().mapToLong(StageProfile::sampledCalls).sum()).append(" of ")
                .append(profile.stages().stream().mapToLong(StageProfile::calls).sum())
                .append(" measured). Wall time adds up over a stage's slots. Blocked: time the source waited "
                        + "because the pipeline asked for no more items. Stalled: time the ordered merge after a "
                        + "stage that keeps source order held results that were ready, because an earlier item was "
                        + "still being worked on (head-of-line blocking).</p>\n");
    }

    /** One bar per stage: CPU, waiting for a core, waiting off-CPU, blocked by backpressure. */
    private void timeSplit() {
        List<StageProfile> stages = profile.stages();
        double longest = 1;
        for (StageProfile s : stages) {
            longest = Math.max(longest, s.wallNanos() + Math.max(0, s.blockedNanos()));
        }
        int labelWidth = 160;
        int barWidth = 520;
        int rowHeight = 26;
        int height = 40 + stages.size() * rowHeight;
        int width = labelWidth + barWidth + 120;
        out.append(String.format(Locale.ROOT,
                "<svg id=\"time-split\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
                width, height, width, height));
        out.append("<title>Time in each stage: CPU, waiting for a core, waiting, blocked</title>\n");
        int legendX = labelWidth;
        String[][] legend = {{CPU, "CPU"}, {CORE_WAIT, "waiting for a core"}, {OFF_CPU, "waiting (I/O, locks, sleeps)"},
            {BLOCKED, "blocked (backpressure)"}};
        for (String[] entry : legend) {
            out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/>",
                    legendX, entry[0]));
            text(legendX + 16, 17, entry[1], "");
            legendX += 36 + entry[1].length() * 7;
        }
        for (int i = 0; i < stages.size(); i++) {
            StageProfile s = stages.get(i);
            int y = 30 + i * rowHeight;
            text(4, y + 14, s.name(), s.bottleneck() ? "class=\"bottleneck\"" : "");
            double x = labelWidth;
            long cpu = Math.max(0, s.cpuNanos());
            long[] parts = {cpu, Math.max(0, s.coreWaitNanos()), Math.max(0, s.offCpuWaitNanos()),
                Math.max(0, s.blockedNanos())};
            if (s.cpuNanos() < 0) {
                parts = new long[] {0, 0, s.wallNanos(), Math.max(0, s.blockedNanos())};
            }
            String[] colours = {CPU, CORE_WAIT, OFF_CPU, BLOCKED};
            for (int k = 0; k < parts.length; k++) {
                double w = barWidth * parts[k] / longest;
                if (w > 0) {
                    out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\" "
                            + "fill=\"%s\"/>\n", x, y, w, colours[k]));
                    x += w;
                }
            }
            text((int) x + 6, y + 14, format("%.1f ms", (s.wallNanos() + Math.max(0, s.blockedNanos())) / 1e6), "");
        }
        out.append("</svg>\n");
    }

    /** Amdahl's curve, the streaming bound, the ideal and the measured points, for n = 1 to 2 x cores. */
    private void speedupChart() {
        SpeedupModel model = sweep != null ? sweep.model() : profile.speedupModel();
        int maxN = 2 * profile.cores();
        if (sweep != null) {
            for (SweepPoint p : sweep.points()) {
                maxN = Math.max(maxN, p.parallelism());
            }
        }
        maxN = Math.max(2, maxN);
        int left = 50;
        int top = 30;
        int plotWidth = 480;
        int plotHeight = 280;
        int width = left + plotWidth + 230;
        int height = top + plotHeight + 50;
        double yMax = maxN;
        out.append(String.format(Locale.ROOT,
                "<svg id=\"amdahl-chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
                width, height, width, height));
        out.append("<title>Speedup against cores: Amdahl's law, the streaming bound and measured points</title>\n");
        out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>\n", left, top, plotWidth, plotHeight));
        for (int n = 1; n <= maxN; n++) {
            double x = xOf(n, maxN, left, plotWidth);
            text((int) x - 4, top + plotHeight + 16, Integer.toString(n), "");
        }
        for (int s = 0; s <= maxN; s += Math.max(1, maxN / 8)) {
            double y = yOf(s, yMax, top, plotHeight);
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>\n",
                    left, y, left + plotWidth, y));
            text(left - 24, (int) y + 4, Integer.toString(s), "");
        }
        text(left + plotWidth / 2 - 20, top + plotHeight + 36, "cores n", "");
        text(4, top - 14, "speedup S(n)", "");
        polyline("ideal", maxN, yMax, left, top, plotWidth, plotHeight, n -> n, "#bbb", "4 4");
        polyline("amdahl", maxN, yMax, left, top, plotWidth, plotHeight, model::amdahl, "#4a6fa5", "");
        polyline("streaming", maxN, yMax, left, top, plotWidth, plotHeight, model::streaming, "#e59c3c", "6 3");
        if (sweep != null) {
            for (SweepPoint p : sweep.points()) {
                out.append(String.format(Locale.ROOT, "<circle class=\"measured\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" "
                                + "fill=\"#c0392b\"><title>n = %d: measured %.2f</title></circle>\n",
                        xOf(p.parallelism(), maxN, left, plotWidth), yOf(p.speedup(), yMax, top, plotHeight),
                        p.parallelism(), p.speedup()));
            }
        }
        int lx = left + plotWidth + 15;
        legendLine(lx, top + 10, "#4a6fa5", "", format("Amdahl, P = %.3f", model.parallelFraction()));
        legendLine(lx, top + 30, "#e59c3c", "6 3", format("streaming bound, s = %.3f", model.largestSerialShare()));
        legendLine(lx, top + 50, "#bbb", "4 4", "ideal S(n) = n");
        if (sweep != null) {
            out.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"#c0392b\"/>", lx + 10,
                    top + 66));
            text(lx + 26, top + 70, "measured (sweep)", "");
        }
        out.append("</svg>\n");
        out.append("<p class=\"note\">Amdahl's law: S(n) = 1 / (P/n + (1 - P)), P the share of the work in "
                + "parallel stages. Streaming bound: S(n) = 1 / max(s, 1/n), s the share of the largest sequential "
                + "step (source and sink included); it assumes the stages overlap perfectly. ")
                .append(sweep == null ? "Run a SpeedupSweep to add measured points."
                        : "The measured points are the fastest of each level of a sweep.")
                .append("</p>\n");
    }

    private void sweepTable() {
        out.append("<table id=\"sweep\">\n<tr><th>n</th><th>time ms</th><th>measured S(n)</th><th>Amdahl</th>"
                + "<th>streaming</th><th>Karp-Flatt e(n)</th></tr>\n");
        for (SweepPoint p : sweep.points()) {
            out.append("<tr><td>").append(p.parallelism()).append("</td><td>").append(p.duration().toMillis())
                    .append("</td><td>").append(format("%.2f", p.speedup())).append("</td><td>")
                    .append(format("%.2f", p.amdahl())).append("</td><td>").append(format("%.2f", p.streaming()))
                    .append("</td><td>").append(Double.isNaN(p.karpFlatt()) ? "-" : format("%.3f", p.karpFlatt()))
                    .append("</td></tr>\n");
        }
        out.append("</table>\n<p class=\"note\">Karp-Flatt e(n) = (1/S - 1/n) / (1 - 1/n): the serial fraction "
                + "the measured speedup implies. Near 1 - P, the serial work explains the speedup; growing with n, "
                + "overhead (hand-offs, contention, shared cores) does.</p>\n");
    }

    private interface Curve {
        double at(int n);
    }

    private void polyline(String id, int maxN, double yMax, int left, int top, int plotWidth, int plotHeight,
                          Curve curve, String colour, String dash) {
        StringBuilder points = new StringBuilder();
        for (int n = 1; n <= maxN; n++) {
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", xOf(n, maxN, left, plotWidth),
                    yOf(Math.min(yMax, curve.at(n)), yMax, top, plotHeight)));
        }
        out.append(String.format(Locale.ROOT, "<polyline class=\"%s\" points=\"%s\" fill=\"none\" stroke=\"%s\" "
                + "stroke-width=\"2\"%s/>\n", id, points.toString().trim(), colour,
                dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\""));
    }

    private void legendLine(int x, int y, String colour, String dash, String label) {
        out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-width=\"2\"%s/>", x, y, x + 20, y, colour,
                dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\""));
        text(x + 26, y + 4, label, "");
    }

    private static double xOf(double n, int maxN, int left, int plotWidth) {
        return left + (n - 1) * plotWidth / Math.max(1, maxN - 1);
    }

    private static double yOf(double s, double yMax, int top, int plotHeight) {
        return top + plotHeight - s * plotHeight / yMax;
    }

    private void text(int x, int y, String text, String attributes) {
        out.append("<text x=\"").append(x).append("\" y=\"").append(y).append('"')
                .append(attributes.isEmpty() ? "" : " " + attributes).append('>').append(escape(text))
                .append("</text>\n");
    }

    private static String format(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }

    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
