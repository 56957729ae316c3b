package io.sluice.client.internal;

import java.util.List;

/** The request document of {@code POST /api/v1/batch} (the answer is read by {@code BatchAnswer}). */
public final class BatchWire {

    private BatchWire() {}

    /** One operation: an /api/v1 call; {@code body} absent for none. */
    public record Operation(String method, String path, Object body) {}

    public record Request(List<Operation> operations) {}
}
