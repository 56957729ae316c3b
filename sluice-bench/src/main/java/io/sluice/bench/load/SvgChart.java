package io.sluice.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A line chart as inline SVG: no script, no library, nothing fetched when the report is opened. Axes are linear
 * in the values given; callers transform (the percentile plot passes {@code log10(1 / (1 - p))}).
 */
final class SvgChart {

    record Series(String name, String color, double[] x, double[] y) {}

    private static final int W = 760;
    private static final int H = 300;
    private static final int L = 70;
    private static final int R = 20;
    private static final int T = 30;
    private static final int B = 45;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private double[] xTicks;
    private DoubleFunction<String> xTickLabel = v -> num(v);

    SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    SvgChart add(Series s) {
        series.add(s);
        return this;
    }

    SvgChart xTicks(double[] ticks, DoubleFunction<String> label) {
        this.xTicks = ticks;
        this.xTickLabel = label;
        return this;
    }

    String render() {
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        double yMax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                xMin = Math.min(xMin, s.x()[i]);
                xMax = Math.max(xMax, s.x()[i]);
                yMax = Math.max(yMax, s.y()[i]);
            }
        }
        if (xMin == Double.MAX_VALUE) {
            xMin = 0;
            xMax = 1;
        }
        if (xTicks != null) {
            xMax = Math.max(xMax, xTicks[xTicks.length - 1]);
            xMin = Math.min(xMin, xTicks[0]);
        }
        if (xMax <= xMin) {
            xMax = xMin + 1;
        }
        yMax = niceCeil(yMax <= 0 ? 1 : yMax * 1.05);
        StringBuilder sb = new StringBuilder(4096);
        sb.append(f("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">%n", W, H, W, H));
        sb.append(f("<title>%s</title>%n", esc(title)));
        sb.append(f("<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", L, esc(title)));
        int pw = W - L - R;
        int ph = H - T - B;
        for (int i = 0; i <= 5; i++) {
            double v = yMax * i / 5;
            double y = T + ph - ph * i / 5.0;
            sb.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>", L, y, W - R, y));
            sb.append(f("<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>%n", L - 6, y + 4, num(v)));
        }
        double[] ticks = xTicks;
        if (ticks == null) {
            ticks = new double[6];
            for (int i = 0; i <= 5; i++) {
                ticks[i] = xMin + (xMax - xMin) * i / 5;
            }
        }
        for (double t : ticks) {
            double x = L + pw * (t - xMin) / (xMax - xMin);
            sb.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>", x, T, x, T + ph));
            sb.append(f("<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n", x, T + ph + 16, esc(xTickLabel.apply(t))));
        }
        sb.append(f("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", L, T, pw, ph));
        sb.append(f("<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>%n", L + pw / 2, H - 6, esc(xLabel)));
        sb.append(f("<text x=\"14\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">%s</text>%n",
                T + ph / 2, T + ph / 2, esc(yLabel)));
        int legendX = L + 10;
        for (Series s : series) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                double x = L + pw * (s.x()[i] - xMin) / (xMax - xMin);
                double y = T + ph - ph * Math.min(s.y()[i], yMax) / yMax;
                pts.append(f("%.1f,%.1f ", x, y));
            }
            sb.append(f("<polyline class=\"series\" data-series=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" points=\"%s\"/>%n",
                    esc(s.name()), s.color(), pts.toString().trim()));
            sb.append(f("<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>%n",
                    legendX, T + 10, s.color(), legendX + 16, T + 14, esc(s.name())));
            legendX += 24 + 7 * s.name().length();
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static double niceCeil(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= v) {
                return m * mag;
            }
        }
        return 10 * mag;
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return f("%,.0f", v);
        }
        return Math.abs(v) >= 10 ? f("%,.1f", v) : f("%.3g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }
}
