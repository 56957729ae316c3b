/**
 * Downstream listeners. {@link io.sluice.gateway.server.DownstreamInitializer} builds each accepted
 * connection's pipeline: TLS with ALPN, or cleartext with HTTP/2 prior-knowledge detection and h2c
 * upgrade, ending in a {@link io.sluice.gateway.proxy.ProxyHandler} per HTTP/1.1 connection or per
 * HTTP/2 stream.
 */
package io.sluice.gateway.server;
