package io.sluice.cli;

import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.Gateway;
import java.nio.file.Path;

/** A gateway serving a directory under {@code /files/} on an ephemeral cleartext port, admin off: a fetch source. */
final class StaticFilesGateway {

    private StaticFilesGateway() {}

    static Gateway start(Path root) throws Exception {
        return Gateway.start(ConfigLoader.parse("""
                server:
                  listeners:
                    - name: http
                      host: 127.0.0.1
                      port: 0
                admin:
                  enabled: false
                routes:
                  - name: files
                    path_prefix: /files/
                    static:
                      root: %s
                """.formatted(root), "files"));
    }

    /** The URL of {@code name} in the served directory. */
    static String url(Gateway gateway, String name) {
        return "http://127.0.0.1:" + gateway.port("http") + "/files/" + name;
    }
}
