package io.sluice.bench.load;

import io.sluice.bench.load.BenchResult.Point;
import io.sluice.bench.load.BenchResult.Second;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --html FILE}: one self-contained page (inline CSS and SVG, no script, nothing fetched when viewed) with
 * the figures, the latency-by-percentile plot (corrected and, in the open model, uncorrected) and throughput and
 * latency per second.
 */
public final class HtmlReport {

    private HtmlReport() {}

    public static void write(BenchResult r, Path file) throws IOException {
        Files.writeString(file, render(r), StandardCharsets.UTF_8);
    }

    public static String render(BenchResult r) {
        BenchResult.Setup s = r.setup();
        StringBuilder sb = new StringBuilder(32 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>sluice bench: ")
                .append(SvgChart.esc(s.url())).append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:.3em .7em;text-align:right}th{background:#f4f4f4}")
                .append("td:first-child,th:first-child{text-align:left}.chart{display:block;margin:1.5em 0}</style></head><body>\n");
        sb.append("<h1>sluice bench</h1>\n<p>").append(SvgChart.esc(s.method())).append(' ').append(SvgChart.esc(s.url()))
                .append(" &mdash; ").append(s.protocol()).append(", ").append(s.connections()).append(" connection(s)")
                .append(s.streams() > 1 ? " &times; " + s.streams() + " streams" : "").append(", ")
                .append(s.threads()).append(" thread(s), ").append(s.model()).append(" model")
                .append(s.rate() > 0 ? f(" at %,.0f req/s", s.rate()) : "").append(", engine ").append(s.engine()).append("</p>\n");
        sb.append("<table id=\"figures\"><tr><th>figure</th><th>value</th></tr>\n");
        row(sb, "requests", f("%,d", r.requests()));
        row(sb, "duration", f("%.2f s", r.durationSeconds()));
        row(sb, "throughput", f("%,.1f req/s", r.requestsPerSecond()));
        row(sb, "bytes in / out", TextSummary.bytes(r.bytesIn()) + " / " + TextSummary.bytes(r.bytesOut()));
        for (Map.Entry<String, Long> e : r.errors().entrySet()) {
            row(sb, "errors: " + e.getKey(), Long.toString(e.getValue()));
        }
        sb.append("</table>\n<table id=\"latency\"><tr><th>latency (ms)</th><th>p50</th><th>p90</th><th>p99</th>")
                .append("<th>p99.9</th><th>p99.99</th><th>max</th><th>mean</th></tr>\n");
        latencyRow(sb, s.model().equals("open") ? "corrected (from intended send time)" : "latency", r.latency());
        if (s.model().equals("open")) {
            latencyRow(sb, "uncorrected (service time)", r.serviceTime());
        }
        sb.append("</table>\n");
        sb.append(percentileChart(r));
        List<Second> tl = r.timeline();
        double[] t = tl.stream().mapToDouble(Second::t).toArray();
        sb.append(new SvgChart("Throughput over time", "seconds", "requests/s")
                .add(new SvgChart.Series("req/s", "#1f77b4", t, tl.stream().mapToDouble(Second::requestsPerSecond).toArray()))
                .render());
        sb.append(new SvgChart("Latency over time", "seconds", "ms")
                .add(new SvgChart.Series("p50", "#2ca02c", t, tl.stream().mapToDouble(Second::p50).toArray()))
                .add(new SvgChart.Series("p99", "#ff7f0e", t, tl.stream().mapToDouble(Second::p99).toArray()))
                .add(new SvgChart.Series("max", "#d62728", t, tl.stream().mapToDouble(Second::max).toArray()))
                .render());
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static String percentileChart(BenchResult r) {
        double[] ticks = {0, 1, 2, 3, 4, 5};
        SvgChart c = new SvgChart("Latency by percentile", "percentile", "ms")
                .xTicks(ticks, v -> new String[] {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"}[(int) v]);
        c.add(series(r.setup().model().equals("open") ? "corrected" : "latency", "#d62728", r.latencyCurve()));
        if (r.setup().model().equals("open")) {
            c.add(series("uncorrected", "#1f77b4", r.serviceCurve()));
        }
        return c.render();
    }

    /** x = log10(1 / (1 - p)): 90% → 1, 99% → 2, ...; capped at 99.999% (x = 5). */
    private static SvgChart.Series series(String name, String color, List<Point> curve) {
        double[] x = new double[curve.size()];
        double[] y = new double[curve.size()];
        for (int i = 0; i < curve.size(); i++) {
            double p = Math.min(curve.get(i).percentile(), 99.999) / 100.0;
            x[i] = Math.log10(1 / (1 - p));
            y[i] = curve.get(i).ms();
        }
        return new SvgChart.Series(name, color, x, y);
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append("<tr><td>").append(SvgChart.esc(k)).append("</td><td>").append(SvgChart.esc(v)).append("</td></tr>\n");
    }

    private static void latencyRow(StringBuilder sb, String name, BenchResult.Latency l) {
        sb.append("<tr><td>").append(name).append("</td>");
        for (double v : new double[] {l.p50(), l.p90(), l.p99(), l.p999(), l.p9999(), l.max(), l.mean()}) {
            sb.append(f("<td>%.3f</td>", v));
        }
        sb.append("</tr>\n");
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }
}
