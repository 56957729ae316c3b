package io.sluice.core.config;

import java.util.Optional;

/**
 * One listening socket ({@code server.listeners[i]}).
 *
 * @param name     unique name, used in metrics and logs
 * @param host     address to bind (default 127.0.0.1)
 * @param port     port to bind; 0 picks a free one (tests)
 * @param protocol {@code http} (HTTP/1.1, plus h2c when {@code http2}) or {@code https} (TLS with ALPN)
 * @param http2    offer HTTP/2: h2c upgrade and prior knowledge on {@code http}, ALPN h2 on {@code https}
 * @param tls      certificate and key; present exactly when protocol is {@code https}
 */
public record ListenerConfig(
        String name, String host, int port, Protocol protocol, boolean http2, Optional<TlsConfig> tls) {

    public enum Protocol {
        HTTP,
        HTTPS
    }
}
