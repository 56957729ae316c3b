package io.sluice.transfer.progress;

import java.util.function.Supplier;
import io.sluice.transfer.Progress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints a job's progress in one of three {@link Style}s: on a terminal a bar rewritten in place every 200 ms
 * (bytes, rate, ETA, and per worker how far into its range it is); otherwise a plain line per period, for logs; or
 * for scripts ({@code --json}) one JSON object per period.
 */
public final class ProgressPrinter implements AutoCloseable {

    /** How progress is shown. */
    public enum Style { BAR, LINES, JSON }

    private static final int BAR_WIDTH = 24;

    private final Supplier<Progress> job;
    private final PrintWriter out;
    private final Style style;
    private final long periodMillis;
    private final Thread thread;
    /** When printing started: each JSON line carries the time since, so scripts can measure rates over windows. */
    private final long startedAt;
    private volatile boolean running = true;
    private long lastDone = -1;
    private long lastAt = System.nanoTime();
    private double rate;

    /** {@code period}: how often to print; null picks 200 ms for the bar and 5 s otherwise. */
    public ProgressPrinter(Supplier<Progress> job, PrintWriter out, Style style, Duration period) {
        this.job = job;
        this.out = out;
        this.style = style;
        this.periodMillis = period != null ? Math.max(10, period.toMillis()) : style == Style.BAR ? 200 : 5_000;
        this.startedAt = System.nanoTime();
        this.thread = Thread.ofPlatform().daemon().name("sluice-progress").start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                print();
            }
        }
    }

    private synchronized void print() {
        Progress p = job.get();
        if (p == Progress.NOT_STARTED) {
            return; // still probing: nothing to say yet
        }
        long now = System.nanoTime();
        if (lastDone >= 0) {
            double instant = (p.done() - lastDone) * 1e9 / Math.max(1, now - lastAt);
            rate = rate == 0 ? instant : 0.7 * rate + 0.3 * instant;
        }
        lastDone = p.done();
        lastAt = now;
        long eta = p.size() > 0 && rate > 0 ? (long) ((p.size() - p.done()) / rate) : -1;
        switch (style) {
            case JSON -> out.println(json(p, eta, (now - startedAt) / 1_000_000));
            case LINES -> out.println(line(p, eta));
            case BAR -> out.print("\r\033[K" + bar(p) + " " + line(p, eta));
        }
        out.flush();
    }

    private String json(Progress p, long eta, long elapsedMillis) {
        return String.format(Locale.ROOT,
                "{\"event\":\"progress\",\"done\":%d,\"size\":%d,\"bytes_per_second\":%d,\"eta_seconds\":%d,\"busy_workers\":%d,"
                        + "\"elapsed_ms\":%d}",
                p.done(), p.size(), (long) rate, eta, p.workers().size(), elapsedMillis);
    }

    private String line(Progress p, long eta) {
        StringBuilder line = new StringBuilder();
        line.append(bytes(p.done()));
        if (p.size() >= 0) {
            line.append(" / ").append(bytes(p.size()))
                    .append(String.format(Locale.ROOT, " (%.1f%%)", percent(p)));
        }
        line.append("  ").append(bytes((long) rate)).append("/s");
        if (eta >= 0) {
            line.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
        }
        line.append("  workers:");
        for (Progress.Activity a : p.workers()) {
            long len = Math.max(1, a.end() - a.start());
            line.append(String.format(Locale.ROOT, " [%s %d%%]", bytes(a.start()), 100 * (a.position() - a.start()) / len));
        }
        return line.toString();
    }

    private static String bar(Progress p) {
        int filled = p.size() > 0 ? (int) (BAR_WIDTH * percent(p) / 100) : 0;
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    }

    private static double percent(Progress p) {
        return p.size() <= 0 ? 100.0 : 100.0 * p.done() / p.size();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String units = "KMGTPE";
        int exp = (int) (Math.log(n) / Math.log(1024));
        return String.format(Locale.ROOT, "%.1f %siB", n / Math.pow(1024, exp), units.charAt(exp - 1));
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (style == Style.BAR) {
            out.print("\r\033[K");
            out.flush();
        }
    }
}
