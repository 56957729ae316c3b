package io.sluice.client.model;

/**
 * A backend to add at runtime ({@code POST /api/v1/routes/{route}/backends}).
 *
 * @param weight         1..1000, null for the server's default (100)
 * @param maxConnections null for {@code connection_pool.max_connections}
 */
public record BackendSpec(String host, int port, Integer weight, Integer maxConnections) {

    public static BackendSpec of(String host, int port) {
        return new BackendSpec(host, port, null, null);
    }

    public BackendSpec withWeight(int weight) {
        return new BackendSpec(host, port, weight, maxConnections);
    }
}
