// bench/control-api/BatchCpu.java: CPU time (not wall time) the control API's server side spends per operation,
// in-process (no network): ApiEndpoint.execute, i.e. what the API thread does for one request from its bytes to the
// answer's bytes (gunzip, decode, route, run, encode, gzip), on a real gateway's routes. A batch of OPS GETs of one
// backend (gzipped like the SDK sends it, gzip accepted) vs OPS single GETs; best of 6 rounds of 1 s after 4 warm-up
// rounds. Thread CPU time leaves out the time the thread waits for a core, so it stays near the idle figure on a
// loaded machine where JMH's wall clock swings several-fold. Usage (classpath as in bench/jmh):
//   java -cp <sluice-gateway, sluice-client, sluice-core, sluice-transfer classes + deps> bench/control-api/BatchCpu.java JSON|MSGPACK [OPS]
import io.sluice.core.config.AdminConfig;
import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.api.ApiEndpoint;
import io.sluice.gateway.api.Codec;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

public class BatchCpu {
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        Codec codec = Codec.valueOf(args[0]);
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        var bean = ManagementFactory.getThreadMXBean();
        try (Gateway gateway = Gateway.start(ConfigLoader.parse("""
                server:
                  listeners:
                    - host: 127.0.0.1
                      port: 0
                admin:
                  port: 0
                routes:
                  - name: api
                    backends:
                      - host: 127.0.0.1
                        port: 8081
                      - host: 127.0.0.1
                        port: 8082
                """, "bench"))) {
            ApiEndpoint endpoint = new ApiEndpoint(gateway.api(), new AdminConfig(true, "127.0.0.1", 0));
            String path = "/api/v1/routes/api/backends/127.0.0.1:8081";
            List<Map<String, String>> operations = new ArrayList<>();
            for (int i = 0; i < ops; i++) {
                operations.add(Map.of("method", "GET", "path", path));
            }
            byte[] body = codec.write(Map.of("operations", operations));
            String encoding = null;
            if (body.length >= 1024) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                    gz.write(body);
                }
                body = out.toByteArray();
                encoding = "gzip";
            }
            String type = codec.mediaType();
            byte[] batchBody = body;
            String batchEncoding = encoding;
            for (String mode : List.of("batch", "individual")) {
                double best = Double.MAX_VALUE;
                for (int round = 0; round < 10; round++) {
                    long cpu0 = bean.getCurrentThreadCpuTime();
                    long wall0 = System.nanoTime();
                    long done = 0;
                    while (System.nanoTime() - wall0 < 1_000_000_000L) {
                        if (mode.equals("batch")) {
                            sink = endpoint.execute("POST", "/api/v1/batch", type, batchEncoding, type, true, batchBody);
                        } else {
                            for (int i = 0; i < ops; i++) {
                                sink = endpoint.execute("GET", path, null, null, type, true, new byte[0]);
                            }
                        }
                        done += ops;
                    }
                    double perOp = (bean.getCurrentThreadCpuTime() - cpu0) / (double) done;
                    if (round >= 4) {
                        best = Math.min(best, perOp);
                    }
                }
                System.out.printf("%s %s ops=%d: %.2f us CPU per operation (best of 6 rounds)%n", args[0], mode, ops,
                        best / 1000);
            }
        }
    }
}
