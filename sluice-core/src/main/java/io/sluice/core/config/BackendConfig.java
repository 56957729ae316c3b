package io.sluice.core.config;

/**
 * One backend server ({@code routes[i].backends[j]}, seed 001 format).
 *
 * @param host           host name or address
 * @param port           1..65535
 * @param weight         relative share, 1..1000 (default 100)
 * @param maxConnections pool ceiling for this backend; {@code connection_pool.max_connections} when unset
 */
public record BackendConfig(String host, int port, int weight, int maxConnections) {

    /** {@code host:port}, the backend's identity in logs and metrics. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
