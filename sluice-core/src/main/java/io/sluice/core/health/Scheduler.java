package io.sluice.core.health;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay (Caffeine's {@code Scheduler}): injected so tests advance a fake clock and run
 * what is due instead of sleeping.
 */
@FunctionalInterface
public interface Scheduler {

    void schedule(Runnable task, long delayNanos);

    /** Schedules on {@code executor} (a Netty event executor or any {@link ScheduledExecutorService}). */
    static Scheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return (task, delayNanos) -> executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }
}
