package io.sluice.transfer.progress;

import io.sluice.transfer.FetchJob;
import io.sluice.transfer.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a job's progress: on a terminal one line rewritten in place every 200 ms (bytes, rate,
 * ETA, and per worker how far into its range it is); otherwise a plain line every 5 s, for logs.
 */
public final class ProgressPrinter implements AutoCloseable {

    private final FetchJob job;
    private final PrintStream out;
    private final boolean terminal;
    private final Thread thread;
    private final long started = System.nanoTime();
    private volatile boolean running = true;
    private long lastDone;
    private long lastAt = System.nanoTime();
    private double rate;

    public ProgressPrinter(FetchJob job, PrintStream out, boolean terminal) {
        this.job = job;
        this.out = out;
        this.terminal = terminal;
        this.thread = Thread.ofPlatform().daemon().name("sluice-progress").start(this::loop);
    }

    private void loop() {
        long period = terminal ? 200 : 5_000;
        while (running) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                print();
            }
        }
    }

    private synchronized void print() {
        Progress p = job.progress();
        long now = System.nanoTime();
        double instant = (p.done() - lastDone) * 1e9 / Math.max(1, now - lastAt);
        rate = rate == 0 ? instant : 0.7 * rate + 0.3 * instant;
        lastDone = p.done();
        lastAt = now;
        StringBuilder line = new StringBuilder();
        line.append(bytes(p.done()));
        if (p.size() >= 0) {
            line.append(" / ").append(bytes(p.size()))
                    .append(String.format(Locale.ROOT, " (%.1f%%)", p.size() == 0 ? 100.0 : 100.0 * p.done() / p.size()));
        }
        line.append("  ").append(bytes((long) rate)).append("/s");
        if (p.size() > 0 && rate > 0) {
            long eta = (long) ((p.size() - p.done()) / rate);
            line.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
        }
        line.append("  workers:");
        for (Progress.Activity a : p.workers()) {
            long len = Math.max(1, a.end() - a.start());
            line.append(String.format(Locale.ROOT, " [%s %d%%]", bytes(a.start()), 100 * (a.position() - a.start()) / len));
        }
        if (terminal) {
            out.print("\r\033[K" + line);
        } else {
            out.println(line);
        }
        out.flush();
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
        if (terminal) {
            out.print("\r\033[K");
            out.flush();
        }
    }
}
