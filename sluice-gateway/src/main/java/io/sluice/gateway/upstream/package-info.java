/**
 * Connections to backends: {@link io.sluice.gateway.upstream.HttpConnectionFactory} opens the
 * HTTP/1.1 connections that each backend's {@link io.sluice.core.pool.UpstreamPool} lends to the proxy.
 */
package io.sluice.gateway.upstream;
