package io.sluice.gateway.proxy;

/**
 * One finished request, for metrics and the access log.
 *
 * @param client       client address (ip)
 * @param method       request method
 * @param uri          request target
 * @param protocol     {@code HTTP/1.1}, {@code HTTP/2}, ...
 * @param route        route name, or {@code -} when none matched
 * @param backend      backend address, or {@code -}
 * @param status       status sent to the client (0 when the client went away before one)
 * @param bytesIn      request body bytes received
 * @param bytesOut     response body bytes sent
 * @param durationNanos from request headers received to the end of the response
 * @param attempts      tries sent to backends: 1 plus the retries; 0 when no backend was tried
 */
public record ExchangeRecord(
        String client,
        String method,
        String uri,
        String protocol,
        String route,
        String backend,
        int status,
        long bytesIn,
        long bytesOut,
        long durationNanos,
        int attempts) {}
