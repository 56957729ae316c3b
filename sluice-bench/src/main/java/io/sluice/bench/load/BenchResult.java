package io.sluice.bench.load;

import java.util.List;
import java.util.Map;

/**
 * Every figure of one run, as the text, JSON and HTML reports show it. Latencies in milliseconds.
 *
 * @param latency       corrected latency: from the intended send time (= service time in the closed model)
 * @param serviceTime   from the actual send time: what a tool without coordinated-omission correction reports
 * @param errors        by {@link ErrorKind#label()}, every kind present (0 when none)
 * @param timeline      one entry per second of measurement
 * @param latencyCurve  the percentile distribution of {@code latency}, for the plot
 */
public record BenchResult(
        Setup setup, double durationSeconds, long requests, double requestsPerSecond,
        long bytesIn, long bytesOut, Map<String, Long> errors,
        Latency latency, Latency serviceTime, List<Second> timeline,
        List<Point> latencyCurve, List<Point> serviceCurve) {

    /** The options the run used, echoed for the reports. */
    public record Setup(String url, String method, String model, double rate, int connections, int threads,
                        String protocol, int streams, Double durationSeconds, Long requests, double warmupSeconds,
                        String engine) {}

    public record Latency(double p50, double p90, double p99, double p999, double p9999, double max,
                          double mean, double stdev, long count) {}

    /** One second of measurement: {@code t} is its end, in seconds since measurement began. */
    public record Second(double t, long requests, double requestsPerSecond, long errors,
                         double p50, double p99, double max) {}

    /** One point of a percentile curve: percentile (0..100) and latency (ms). */
    public record Point(double percentile, double ms) {}

    public long totalErrors() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
