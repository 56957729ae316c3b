package io.sluice.bench.load;

import java.util.Locale;
import java.util.Map;

/** The end-of-run summary, laid out like wrk's (and wrk2's {@code --latency}). */
public final class TextSummary {

    private TextSummary() {}

    public static String format(BenchResult r) {
        BenchResult.Setup s = r.setup();
        StringBuilder sb = new StringBuilder(1024);
        String bound = s.requests() != null ? s.requests() + " requests" : String.format(Locale.ROOT, "%.1fs", s.durationSeconds());
        sb.append(f("Running %s test @ %s%n", bound, s.url()));
        sb.append(f("  %s %s, %d connection(s)%s, %d thread(s), %s model%s, engine %s%s%n", s.protocol(), s.method(),
                s.connections(), s.streams() > 1 ? " x " + s.streams() + " streams" : "", s.threads(), s.model(),
                s.rate() > 0 ? f(" at %,.0f req/s", s.rate()) : "", s.engine(),
                s.warmupSeconds() > 0 ? f(", warm-up %.1fs", s.warmupSeconds()) : ""));
        BenchResult.Latency l = r.latency();
        sb.append(f("  Latency%s    mean %s  stdev %s  max %s%n", s.model().equals("open") ? " (corrected)" : "",
                ms(l.mean()), ms(l.stdev()), ms(l.max())));
        sb.append("  Latency distribution\n");
        row(sb, "50%", l.p50());
        row(sb, "90%", l.p90());
        row(sb, "99%", l.p99());
        row(sb, "99.9%", l.p999());
        row(sb, "99.99%", l.p9999());
        row(sb, "max", l.max());
        if (s.model().equals("open")) {
            BenchResult.Latency u = r.serviceTime();
            sb.append(f("  Uncorrected (service time): p50 %s  p99 %s  p99.9 %s  max %s%n",
                    ms(u.p50()), ms(u.p99()), ms(u.p999()), ms(u.max())));
        }
        sb.append(f("  %,d requests in %.2fs, %s read, %s written%n", r.requests(), r.durationSeconds(),
                bytes(r.bytesIn()), bytes(r.bytesOut())));
        long errors = r.totalErrors();
        if (errors > 0) {
            sb.append("  Errors:");
            for (Map.Entry<String, Long> e : r.errors().entrySet()) {
                if (e.getValue() > 0) {
                    sb.append(' ').append(e.getKey()).append(' ').append(e.getValue());
                }
            }
            sb.append('\n');
        }
        sb.append(f("Requests/sec: %,12.2f%n", r.requestsPerSecond()));
        sb.append(f("Transfer/sec: %12s%n", bytes((long) (r.bytesIn() / r.durationSeconds()))));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String label, double v) {
        sb.append(f("  %8s  %s%n", label, ms(v)));
    }

    static String ms(double ms) {
        if (ms >= 1000) {
            return f("%.2fs", ms / 1000);
        }
        return ms >= 1 ? f("%.2fms", ms) : f("%.0fus", ms * 1000);
    }

    static String bytes(long b) {
        if (b >= 1L << 30) {
            return f("%.2fGiB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return f("%.2fMiB", b / (double) (1L << 20));
        }
        return b >= 1024 ? f("%.2fKiB", b / 1024.0) : b + "B";
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }
}
