// bench/control-api/BatchEndToEndCpu.java: a batch of OPS GETs of one backend through the SDK (SluiceClient.newBatch)
// against a real gateway's admin listener in the same JVM, over loopback HTTP/1.1: wall time and process CPU time
// (every thread: the caller, the SDK's event loop, the gateway's worker and API threads, GC, JIT) per operation, and
// the thread CPU time of the client's threads (the caller and the SDK's event loop) and of the server's (the admin
// listener's event loop and the API thread). Rounds of 1 s after 4 warm-up rounds; prints the best and the median
// round of each. CPU time leaves out the time a thread waits for a core, so it stays far more comparable between
// builds on a loaded machine than the wall clock, which swings with the other processes' load; the best wall round
// is the nearest to what a quiet machine gives.
// Usage (classpath as in bench/jmh): java -cp <classes + deps> bench/control-api/BatchEndToEndCpu.java JSON|MSGPACK [OPS] [ROUNDS]
import io.sluice.client.Batch;
import io.sluice.client.Calls;
import io.sluice.client.Format;
import io.sluice.client.RetryPolicy;
import io.sluice.client.SluiceClient;
import io.sluice.client.model.Backend;
import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.Gateway;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

public class BatchEndToEndCpu {
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        Format format = Format.valueOf(args[0]);
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Gateway gateway = Gateway.start(ConfigLoader.parse("""
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
             SluiceClient client = SluiceClient.builder().baseUri("http://127.0.0.1:" + gateway.adminPort())
                     .format(format).retry(RetryPolicy.none()).build()) {
            client.warmedUp().get();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            double[] wall = new double[rounds];
            double[] cpu = new double[rounds];
            double[] clientCpu = new double[rounds];
            double[] serverCpu = new double[rounds];
            for (int round = -4; round < rounds; round++) {
                long[] side0 = sides(threads);
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                long done = 0;
                while (System.nanoTime() - wall0 < 1_000_000_000L) {
                    Batch batch = client.newBatch();
                    List<CompletableFuture<Backend>> results = new ArrayList<>(ops);
                    for (int i = 0; i < ops; i++) {
                        results.add(batch.add(Calls.backend("api", "127.0.0.1:8081")));
                    }
                    batch.execute();
                    for (CompletableFuture<Backend> r : results) {
                        sink = r.join();
                    }
                    done += ops;
                }
                if (round >= 0) {
                    wall[round] = (System.nanoTime() - wall0) / (double) done / 1000;
                    cpu[round] = (os.getProcessCpuTime() - cpu0) / (double) done / 1000;
                    long[] side1 = sides(threads);
                    clientCpu[round] = (side1[0] - side0[0]) / (double) done / 1000;
                    serverCpu[round] = (side1[1] - side0[1]) / (double) done / 1000;
                }
            }
            for (double[] a : List.of(wall, cpu, clientCpu, serverCpu)) {
                Arrays.sort(a);
            }
            System.out.printf("%s batch of %d: wall %.2f us/op best, %.2f median; CPU (all threads) %.2f us/op best, "
                    + "%.2f median; client threads %.2f best, %.2f median; server threads %.2f best, %.2f median "
                    + "(%d rounds of 1 s)%n", format, ops, wall[0], wall[rounds / 2], cpu[0], cpu[rounds / 2],
                    clientCpu[0], clientCpu[rounds / 2], serverCpu[0], serverCpu[rounds / 2], rounds);
        }
    }

    /** CPU time so far of the client's threads (this one, the SDK's event loop) and of the gateway's admin side. */
    static long[] sides(ThreadMXBean threads) {
        long client = threads.getCurrentThreadCpuTime();
        long server = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long ns = threads.getThreadCpuTime(t.threadId());
            if (ns < 0) {
                continue;
            }
            if (t.getName().startsWith("multiThreadIoEventLoopGroup")) {
                client += ns;
            } else if (t.getName().startsWith("sluice-admin-api") || t.getName().startsWith("sluice-worker")) {
                server += ns;
            }
        }
        return new long[] {client, server};
    }
}
