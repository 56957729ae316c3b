package io.sluice.core.config;

/**
 * What the proxy adds to forwarded requests ({@code proxy:}).
 *
 * @param xForwarded   add X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host (default true)
 * @param via          add a Via header to requests and responses (default true)
 * @param viaName      the pseudonym used in Via (default {@code sluice})
 * @param preserveHost pass the client's Host through (default true); otherwise send the backend's host:port
 */
public record ProxyHeaders(boolean xForwarded, boolean via, String viaName, boolean preserveHost) {}
