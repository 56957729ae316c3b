package io.sluice.cli;

import io.netty.channel.EventLoopGroup;
import io.sluice.core.config.ConfigLoader;
import io.sluice.core.config.SluiceConfig;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.demo.DemoBackends;
import io.sluice.gateway.transport.Transport;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sluice demo}: the gateway in front of three embedded backends, all on loopback. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start three demo backends, the gateway on 127.0.0.1:8080 and the admin listener on 127.0.0.1:9901.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "Gateway port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--admin-port", defaultValue = "9901", description = "Admin port (default ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--backends", defaultValue = "3", description = "Number of demo backends (default ${DEFAULT-VALUE}).")
    int backends;

    @Option(names = "--latency-ms", defaultValue = "20",
            description = "Each demo response waits a random 0..N ms (default ${DEFAULT-VALUE}).")
    int latencyMillis;

    @Override
    public Integer call() throws Exception {
        Transport transport = Transport.best();
        EventLoopGroup demoLoops = transport.newEventLoopGroup(1, "sluice-demo");
        DemoBackends demo = DemoBackends.start(transport, demoLoops, backends, latencyMillis);
        SluiceConfig config = ConfigLoader.parse(yaml(demo.ports()), "sluice demo");
        Gateway gateway = Gateway.start(config);
        printHowToTry(spec.commandLine().getOut(), gateway, demo);
        return Serving.runUntilSignalled(gateway, () -> {
            demo.close();
            demoLoops.shutdownGracefully();
        });
    }

    String yaml(List<Integer> ports) {
        StringBuilder y = new StringBuilder()
                .append("server:\n  listeners:\n    - name: http\n      host: 127.0.0.1\n      port: ").append(port)
                .append("\n      protocol: http\n      http2: true\n")
                .append("connection_pool:\n  max_connections: 64\n")
                .append("admin:\n  host: 127.0.0.1\n  port: ").append(adminPort).append('\n')
                .append("access_log:\n  enabled: true\n")
                .append("routes:\n  - name: demo\n    path_prefix: /\n    algorithm: round_robin\n    backends:\n");
        for (int p : ports) {
            y.append("      - host: 127.0.0.1\n        port: ").append(p).append('\n');
        }
        return y.toString();
    }

    private static void printHowToTry(PrintWriter out, Gateway gateway, DemoBackends demo) {
        int http = gateway.port("http");
        out.printf("%nSluice demo is running: gateway http://127.0.0.1:%d -> %s on ports %s%n", http, demo.names(), demo.ports());
        out.printf("  curl -s http://127.0.0.1:%d/hello            # answered by the backends in turn%n", http);
        out.printf("  curl -s --http2-prior-knowledge http://127.0.0.1:%d/h2   # HTTP/2 to HTTP/1.1 backends%n", http);
        out.printf("  curl -s http://127.0.0.1:%d/readyz           # admin: also /healthz /version /metrics%n", gateway.adminPort());
        out.printf("  curl -s http://127.0.0.1:%d/metrics | grep sluice_%n", gateway.adminPort());
        out.println("Press Ctrl-C to drain and stop.");
        out.flush();
    }
}
