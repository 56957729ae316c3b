package io.sluice.bench.jmh;

import io.sluice.client.Batch;
import io.sluice.client.Calls;
import io.sluice.client.Format;
import io.sluice.client.RetryPolicy;
import io.sluice.client.SluiceClient;
import io.sluice.client.model.Backend;
import io.sluice.gateway.Gateway;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Seed 002's first two tables with the SDK over loopback HTTP/1.1 keep-alive: one request (JSON vs MessagePack),
 * and {@code ops} operations as one /batch request vs as {@code ops} sequential requests. Client and stub server
 * share the JVM (as the seed's Go benchmark shares its process with httptest), so the figures include both sides.
 * Run: see bench/README.md ("JMH micro-benchmarks"); add {@code -prof gc} for B/op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClientBenchmark {

    @Param({"JSON", "MSGPACK"})
    public Format format;

    @Param({"10", "100"})
    public int ops;

    /**
     * {@code stub}: {@link ControlApiStub}, the seed's setup (a canned server, so the figures are mostly the SDK's);
     * {@code gateway}: a real gateway's admin listener (routing, the API thread, LiveRoutes, codecs, gzip), what
     * an operator's calls cost end to end.
     */
    @Param({"stub", "gateway"})
    public String server;

    private ControlApiStub stub;
    private Gateway gateway;
    private SluiceClient client;

    @Setup(Level.Trial)
    public void start() throws Exception {
        int port;
        if (server.equals("stub")) {
            stub = new ControlApiStub();
            port = stub.port();
        } else {
            gateway = ControlApiGateway.start();
            port = gateway.adminPort();
        }
        client = SluiceClient.builder().baseUri("http://127.0.0.1:" + port).format(format)
                .retry(RetryPolicy.none()).build();
        client.warmedUp().get();
    }

    @TearDown(Level.Trial)
    public void stop() {
        client.close();
        if (stub != null) {
            stub.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Seed 002 table 1 (only meaningful once per format; the {@code ops} parameter does not change it). */
    @Benchmark
    public Backend singleRequest() {
        return client.backend("api", "127.0.0.1:8081");
    }

    /** {@code ops} operations, one request each, one after the other. */
    @Benchmark
    public void individual(Blackhole bh) {
        for (int i = 0; i < ops; i++) {
            bh.consume(client.backend("api", "127.0.0.1:8081"));
        }
    }

    /** The same {@code ops} operations as one POST /api/v1/batch. */
    @Benchmark
    public void batch(Blackhole bh) {
        Batch batch = client.newBatch();
        List<CompletableFuture<Backend>> results = new ArrayList<>(ops);
        for (int i = 0; i < ops; i++) {
            results.add(batch.add(Calls.backend("api", "127.0.0.1:8081")));
        }
        batch.execute();
        for (CompletableFuture<Backend> r : results) {
            bh.consume(r.join());
        }
    }
}
