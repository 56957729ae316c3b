package io.sluice.client.transport;

import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request as the transport sends it: the body is already encoded (and gzipped if it was worth it).
 *
 * @param method     GET, POST, PATCH, DELETE...
 * @param path       origin-form target, e.g. {@code /api/v1/routes}
 * @param headers    extra headers (Content-Type, Accept, Authorization...); Host, Content-Length and
 *                   Accept-Encoding are set by the transport
 * @param body       the body bytes, empty for none
 * @param idempotent whether resending it cannot change the outcome (decides retries)
 */
public record Request(String method, String path, Map<String, String> headers, byte[] body, boolean idempotent) {

    private static final byte[] EMPTY = new byte[0];

    public Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        body = body == null ? EMPTY : body;
    }
}
