package io.sluice.bench.load;

/** Why a request did not end in a 2xx/3xx response. */
public enum ErrorKind {
    /** The connection could not be opened (refused, unreachable, TLS handshake failed). */
    CONNECT,
    /** No complete response within {@code --timeout}. */
    TIMEOUT,
    /** A 4xx response (its latency is still recorded). */
    STATUS_4XX,
    /** A 5xx response (its latency is still recorded). */
    STATUS_5XX,
    /** The connection or stream was closed or reset with the request in flight. */
    RESET,
    /** A response that could not be parsed. */
    PROTOCOL;

    /** The JSON/text name: {@code connect}, {@code timeout}, {@code status_4xx}, ... */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
