package io.sluice.core.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/** A ticker and a {@link Scheduler} on one fake timeline: {@link #advance} runs what falls due, in order. */
final class ManualClock implements LongSupplier, Scheduler {

    private record Task(long due, Runnable task) {}

    private long now = 1_000_000_000L;
    private final List<Task> tasks = new ArrayList<>();

    @Override
    public synchronized long getAsLong() {
        return now;
    }

    @Override
    public synchronized void schedule(Runnable task, long delayNanos) {
        tasks.add(new Task(now + delayNanos, task));
    }

    void advance(java.time.Duration d) {
        long target;
        synchronized (this) {
            target = now + d.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.due() <= target).min(Comparator.comparingLong(Task::due))
                        .orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                tasks.remove(next);
                now = Math.max(now, next.due());
            }
            next.task().run();
        }
    }
}
