import io.micrometer.core.instrument.Timer;
import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.Gateway;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tunnel handshakes through the real path (two Sluice gateways in one JVM, loopback): each round starts a tunnel
 * client with 2 connections (the default) per mode and reads its sluice_tunnel_handshake_seconds (TCP connect to the
 * server's HTTP/2 SETTINGS: TCP + TLS 1.3 + h2 preface). Modes interleaved per round.
 * Usage: java -cp CLASSPATH GatewayHandshakes.java CERT KEY CA [ROUNDS]
 */
public class GatewayHandshakes {
    public static void main(String[] args) throws Exception {
        String cert = args[0], key = args[1], ca = args[2];
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int connections = 2; // the default: handshakes at once stay few, as when a client starts
        // The middle mode lists a hybrid the JDK lacks only to select BCJSSE; the key share sent, and taken, is x25519.
        String[][] modes = {{"JDK x25519", "[x25519]", "jdk"}, {"BCJSSE x25519", "[x25519, SecP256r1MLKEM768]", "jdk"},
                {"BCJSSE X25519MLKEM768", "[X25519MLKEM768]", "jdk"}, {"OpenSSL x25519", "[x25519]", "openssl"},
                {"OpenSSL X25519MLKEM768", "[X25519MLKEM768]", "openssl"}};
        List<List<Double>> means = new ArrayList<>();
        long[] count = new long[modes.length];
        double[] total = new double[modes.length];
        double[] max = new double[modes.length];
        List<Gateway> servers = new ArrayList<>();
        for (String[] mode : modes) {
            servers.add(start("""
                    tunnel:
                      role: server
                      listen: {host: 127.0.0.1, port: 0}
                      tls: {cert: %s, key: %s, named_groups: %s, provider: %s}
                      tokens: [bench-token-0123456789]
                      allow: ["127.0.0.1:9"]
                    """.formatted(cert, key, mode[1], mode[2])));
            means.add(new ArrayList<>());
        }
        for (int r = -1; r < rounds; r++) { // round -1 warms both up
            for (int m = 0; m < modes.length; m++) {
                int port = servers.get(m).localAddress(Gateway.TUNNEL_SERVER_LISTENER).getPort();
                try (Gateway client = start("""
                        tunnel:
                          role: client
                          server: {host: 127.0.0.1, port: %d, server_name: localhost}
                          connections: %d
                          tls: {ca: %s, named_groups: %s, provider: %s}
                          token: bench-token-0123456789
                          listeners: [{name: app, port: 0, target: "127.0.0.1:9"}]
                        """.formatted(port, connections, ca, modes[m][1], modes[m][2]))) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (client.tunnelMetrics().connectionsUp() < connections && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    Timer t = client.tunnelMetrics().handshake();
                    if (r >= 0) {
                        count[m] += t.count();
                        total[m] += t.totalTime(TimeUnit.MILLISECONDS);
                        max[m] = Math.max(max[m], t.max(TimeUnit.MILLISECONDS));
                        means.get(m).add(t.mean(TimeUnit.MILLISECONDS));
                    }
                }
            }
        }
        System.out.printf("%-24s %10s %16s %10s %8s%n", "mode", "mean ms", "median round ms", "max ms", "n");
        double[] mean = new double[modes.length];
        for (int m = 0; m < modes.length; m++) {
            mean[m] = total[m] / count[m];
            List<Double> sorted = means.get(m).stream().sorted().toList();
            System.out.printf("%-24s %10.2f %16.2f %10.2f %8d%n", modes[m][0], mean[m], sorted.get(sorted.size() / 2),
                    max[m], count[m]);
        }
        System.out.printf("hybrid overhead (mean): %+.0f %% vs BCJSSE x25519, %+.0f %% vs JDK x25519%n",
                100 * (mean[2] / mean[1] - 1), 100 * (mean[2] / mean[0] - 1));
        System.out.printf("OpenSSL hybrid overhead (mean): %+.0f %% vs OpenSSL x25519, %+.0f %% vs JDK x25519%n",
                100 * (mean[4] / mean[3] - 1), 100 * (mean[4] / mean[0] - 1));
        for (Gateway g : servers) {
            g.close();
        }
    }

    private static Gateway start(String yaml) throws Exception {
        return Gateway.start(ConfigLoader.parse("""
                server:
                  workers: 1
                  drain_timeout: 0s
                  listeners: [{name: http, host: 127.0.0.1, port: 0}]
                admin: {port: 0}
                health_checks: {enabled: false}
                """ + yaml, "bench"));
    }
}
