package io.sluice.client.transport;

/** When the transport speaks HTTP/2. */
public enum Http2Mode {
    /** Over TLS, HTTP/2 when the server picks it by ALPN; in cleartext, HTTP/1.1 (nothing to negotiate with). */
    AUTO,
    /** HTTP/2 always: h2c by prior knowledge in cleartext, ALPN offering only h2 over TLS. */
    PRIOR_KNOWLEDGE,
    /** HTTP/1.1 always. */
    NEVER
}
