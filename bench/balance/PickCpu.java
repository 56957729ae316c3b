// bench/balance/PickCpu.java: CPU time (not wall time) per balancer pick over 100 backends, the JMH benchmark's set-up,
// best of 8 rounds of 2M picks after 4 warm-up rounds. Thread CPU time leaves out the time the thread waits for a core,
// so on a shared, loaded machine it stays near the idle figure where JMH's wall-clock average swings several-fold.
// One algorithm per JVM, as JMH forks (several in one JVM would share a polluted call-site profile):
//   for a in least_connections weighted_round_robin; do
//     java -cp sluice-core/target/classes:$(cat /tmp/cp.txt) bench/balance/PickCpu.java $a; done
import io.sluice.core.balance.*;
import io.sluice.core.config.BackendConfig;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class PickCpu {
    public static void main(String[] args) {
        var bean = ManagementFactory.getThreadMXBean();
        PickContext ctx = new PickContext() {
            final SocketAddress a = new InetSocketAddress("10.1.2.3", 40000);
            public SocketAddress clientAddress() { return a; }
            public String header(String n) { return null; }
        };
        for (String algorithm : List.of(args[0])) {
            List<Backend> list = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Backend b = new Backend(new BackendConfig("10.0." + (i / 250) + "." + (i % 250), 8080, 50 + i % 100, 5), null);
                b.recordLatency(1_000_000L + i * 1000L, System.nanoTime(), 10_000_000_000L);
                list.add(b);
            }
            Balancer balancer = BalancingStrategy.named(algorithm, "client_ip", Duration.ofSeconds(10),
                    BalancingStrategy.THREAD_LOCAL_RANDOM).newBalancer(list);
            long sink = 0;
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 12; round++) {
                long t0 = bean.getCurrentThreadCpuTime();
                for (int i = 0; i < 2_000_000; i++) {
                    sink += balancer.pick(ctx).hashCode();
                }
                double ns = (bean.getCurrentThreadCpuTime() - t0) / 2_000_000.0;
                if (round >= 4) best = Math.min(best, ns);
            }
            System.out.printf("%s best-of-8 CPU ns/pick %.1f (%d)%n", algorithm, best, sink & 1);
        }
    }
}
