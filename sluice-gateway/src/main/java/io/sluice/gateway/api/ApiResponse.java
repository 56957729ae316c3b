package io.sluice.gateway.api;

import java.util.Map;

/**
 * A control API answer before encoding.
 *
 * @param status  the HTTP status
 * @param body    the document (a record, map or JSON tree; a {@link Problem} for errors), or null for none
 * @param headers extra headers, e.g. {@code Location}
 */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }

    public static ApiResponse created(Object body, String location) {
        return new ApiResponse(201, body, Map.of("Location", location));
    }

    public static ApiResponse accepted(Object body, String location) {
        return new ApiResponse(202, body, Map.of("Location", location));
    }

    public boolean isProblem() {
        return body instanceof Problem;
    }
}
