package io.sluice.bench.jmh;

import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.Gateway;

/** The gateway the control API benchmarks run against: route {@code api} with two backends, admin rate limit off. */
final class ControlApiGateway {

    /** The backend whose document the benchmarks fetch. */
    static final String BACKEND = "127.0.0.1:8081";

    private ControlApiGateway() {}

    static Gateway start() throws Exception {
        return Gateway.start(ConfigLoader.parse("""
                server:
                  listeners:
                    - host: 127.0.0.1
                      port: 0
                admin:
                  port: 0
                  rate_limit:
                    enabled: false
                routes:
                  - name: api
                    backends:
                      - host: 127.0.0.1
                        port: 8081
                      - host: 127.0.0.1
                        port: 8082
                """, "bench"));
    }
}
