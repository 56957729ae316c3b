package io.sluice.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The documents of {@code POST /api/v1/batch}. */
public final class BatchWire {

    private BatchWire() {}

    /** One operation: an /api/v1 call; {@code body} absent for none. */
    public record Operation(String method, String path, Object body) {}

    public record Request(List<Operation> operations) {}

    /** One result in order: its status and body (its document, a Problem on failure, absent when none). */
    public record Result(int status, JsonNode body) {}

    public record Response(List<Result> results) {}
}
