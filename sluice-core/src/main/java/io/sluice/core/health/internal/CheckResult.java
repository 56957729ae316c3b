package io.sluice.core.health.internal;

/** One check's outcome and what it saw, for the log line and the listener's reason. */
public record CheckResult(boolean healthy, String detail) {

    public static CheckResult ok(String detail) {
        return new CheckResult(true, detail);
    }

    public static CheckResult failed(String detail) {
        return new CheckResult(false, detail);
    }
}
