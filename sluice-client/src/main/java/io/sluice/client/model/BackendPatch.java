package io.sluice.client.model;

/** {@code PATCH /api/v1/routes/{route}/backends/{backend}}: the new weight, 1..1000. */
public record BackendPatch(int weight) {}
