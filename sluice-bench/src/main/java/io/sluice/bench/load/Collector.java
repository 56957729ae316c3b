package io.sluice.bench.load;

import io.sluice.bench.load.BenchResult.Latency;
import io.sluice.bench.load.BenchResult.Point;
import io.sluice.bench.load.BenchResult.Second;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Swaps every probe's interval histograms out (once a second and at the end), adds them to the run's totals and
 * appends one {@link Second} to the timeline. Runs on one thread; never touches a lane.
 */
final class Collector {

    private final List<Probe> probes;
    private final RunControl run;
    private final Histogram latency = new Histogram(3);
    private final Histogram service = new Histogram(3);
    private final List<Second> timeline = new ArrayList<>();
    private long lastTickNanos;
    private long lastErrors;

    Collector(List<Probe> probes, RunControl run) {
        this.probes = probes;
        this.run = run;
        this.lastTickNanos = run.measureStartNanos();
    }

    /** Collects what was recorded since the last tick; returns the new second, or null during warm-up. */
    synchronized Second tick(long now) {
        Histogram second = new Histogram(3);
        for (Probe p : probes) {
            Histogram l = p.latencyInterval(null);
            second.add(l);
            service.add(p.serviceInterval(null));
        }
        latency.add(second);
        long errors = errorsTotal();
        if (now - run.measureStartNanos() <= 0) {
            return null;
        }
        double seconds = Math.max(1e-9, (now - lastTickNanos) / 1e9);
        lastTickNanos = now;
        Second s = new Second((now - run.measureStartNanos()) / 1e9, second.getTotalCount(),
                second.getTotalCount() / seconds, errors - lastErrors,
                ms(second.getValueAtPercentile(50)), ms(second.getValueAtPercentile(99)), ms(second.getMaxValue()));
        lastErrors = errors;
        timeline.add(s);
        return s;
    }

    private long errorsTotal() {
        long n = 0;
        for (Probe p : probes) {
            for (ErrorKind k : ErrorKind.values()) {
                n += p.errors(k);
            }
        }
        return n;
    }

    synchronized BenchResult result(BenchResult.Setup setup, long endNanos) {
        double seconds = Math.max(1e-9, (endNanos - run.measureStartNanos()) / 1e9);
        Map<String, Long> errors = new LinkedHashMap<>();
        for (ErrorKind k : ErrorKind.values()) {
            long n = 0;
            for (Probe p : probes) {
                n += p.errors(k);
            }
            errors.put(k.label(), n);
        }
        long in = 0;
        long out = 0;
        for (Probe p : probes) {
            in += p.bytesIn();
            out += p.bytesOut();
        }
        return new BenchResult(setup, seconds, latency.getTotalCount(), latency.getTotalCount() / seconds, in, out,
                errors, summary(latency), summary(service), List.copyOf(timeline), curve(latency), curve(service));
    }

    static Latency summary(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        return new Latency(ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getValueAtPercentile(99.99)),
                ms(h.getMaxValue()), h.getMean() / 1000.0, h.getStdDeviation() / 1000.0, h.getTotalCount());
    }

    /** HdrHistogram's percentile distribution (5 ticks per half distance), as plotted by its own plotter. */
    static List<Point> curve(Histogram h) {
        List<Point> points = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : h.percentiles(5)) {
            points.add(new Point(v.getPercentileLevelIteratedTo(), ms(v.getValueIteratedTo())));
            if (v.getPercentileLevelIteratedTo() >= 100.0) {
                break;
            }
        }
        return points;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
