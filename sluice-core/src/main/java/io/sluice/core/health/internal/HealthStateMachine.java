package io.sluice.core.health.internal;

/**
 * One backend's active-check state, HAProxy's {@code rise}/{@code fall}: a healthy backend goes down after
 * {@code unhealthyThreshold} consecutive failures, a down one comes back after {@code healthyThreshold}
 * consecutive successes; any result of the other kind resets the streak.
 *
 * <p>It starts <em>healthy</em>, as HAProxy's servers do (and unlike Envoy, which waits for a first check
 * when configured to): a freshly started gateway routes at once, and a dead backend is found within
 * {@code unhealthyThreshold} checks. Results arrive from worker threads; the lock is uncontended in
 * practice (one check per backend at a time), and readers see the state through a volatile.
 */
public final class HealthStateMachine {

    private final int unhealthyThreshold;
    private final int healthyThreshold;
    private volatile boolean healthy = true;
    private int streak; // consecutive results contrary to the current state

    public HealthStateMachine(int unhealthyThreshold, int healthyThreshold) {
        if (unhealthyThreshold < 1 || healthyThreshold < 1) {
            throw new IllegalArgumentException("thresholds must be at least 1, got unhealthy="
                    + unhealthyThreshold + ", healthy=" + healthyThreshold);
        }
        this.unhealthyThreshold = unhealthyThreshold;
        this.healthyThreshold = healthyThreshold;
    }

    public boolean isHealthy() {
        return healthy;
    }

    /** Records one check's outcome; true when it changed the state. */
    public synchronized boolean record(boolean success) {
        if (success == healthy) {
            streak = 0;
            return false;
        }
        streak++;
        if (streak >= (healthy ? unhealthyThreshold : healthyThreshold)) {
            healthy = !healthy;
            streak = 0;
            return true;
        }
        return false;
    }

    /** Results needed to make the change that just happened: for the log line. */
    public int thresholdFor(boolean nowHealthy) {
        return nowHealthy ? healthyThreshold : unhealthyThreshold;
    }
}
