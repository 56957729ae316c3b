/**
 * The load generator behind {@code sluice bench URL}.
 *
 * <p>Starting points: {@link io.sluice.bench.load.LoadOptions} (what to run, validated once),
 * {@link io.sluice.bench.load.LoadGenerator#run} (runs it and returns a {@link io.sluice.bench.load.BenchResult}),
 * and the three reports: {@link io.sluice.bench.load.TextSummary}, {@link io.sluice.bench.load.JsonReport},
 * {@link io.sluice.bench.load.HtmlReport}.
 *
 * <p>Design in one paragraph. Load is carried by <em>lanes</em> ({@link io.sluice.bench.load.Lane}): one per
 * HTTP/1.1 connection, or one per concurrent stream of an HTTP/2 connection; a lane has at most one request in
 * flight. In the closed model (like wrk) a lane sends its next request when the previous one completes. In the
 * open model ({@code --rate}, like wrk2) every lane follows a fixed schedule of <em>intended</em> send times and
 * latency is measured from the intended time, not from the moment the request could actually be sent: a server
 * that stalls delays every request queued behind the stall, and each of them reports that delay (the
 * coordinated-omission correction of Gil Tene's wrk2 and HdrHistogram). Each event loop owns its lanes and one
 * {@link io.sluice.bench.load.Probe} (single-writer HdrHistogram recorders and counters), so the hot path takes
 * no lock; a {@link io.sluice.bench.load.Collector} swaps the interval histograms out once a second.
 */
package io.sluice.bench.load;
