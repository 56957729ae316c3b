package io.sluice.gateway.jobs;

/** Where a job is in its life; the last three are final. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** The lower-case name the API uses. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
