package io.sluice.client.model;

/** A backend's connection pool: open, in use, idle, and requests waiting for one. */
public record PoolState(int total, int active, int idle, int pending) {}
