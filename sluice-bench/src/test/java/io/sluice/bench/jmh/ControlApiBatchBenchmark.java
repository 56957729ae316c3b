package io.sluice.bench.jmh;

import io.sluice.core.config.AdminConfig;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.api.ApiEndpoint;
import io.sluice.gateway.api.Codec;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
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
 * The server's side of the control API without the network: what the API thread does for one request, from the
 * request's bytes to the answer's bytes ({@link ApiEndpoint#execute}: gunzip, decode, route, run, encode, gzip), on
 * a real gateway's routes. {@code batch} is one {@code POST /api/v1/batch} of {@code ops} GETs of one backend (as the
 * SDK sends it: gzipped from 1 KiB, accepting gzip); {@code individual} the same {@code ops} GETs one request each.
 * Per operation in a batch = {@code batch} / {@code ops}. Run: {@code bench/jmh ControlApiBatch -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ControlApiBatchBenchmark {

    private static final String BACKEND = "/api/v1/routes/api/backends/" + ControlApiGateway.BACKEND;

    @Param({"JSON", "MSGPACK"})
    public String format;

    @Param({"10", "100"})
    public int ops;

    private Gateway gateway;
    private ApiEndpoint endpoint;
    private String mediaType;
    private byte[] batchBody;
    private String batchEncoding;

    @Setup(Level.Trial)
    public void start() throws Exception {
        gateway = ControlApiGateway.start();
        endpoint = new ApiEndpoint(gateway.api(), new AdminConfig(true, "127.0.0.1", 0));
        Codec codec = Codec.valueOf(format);
        mediaType = codec.mediaType();
        List<Map<String, String>> operations = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            operations.add(Map.of("method", "GET", "path", BACKEND));
        }
        byte[] plain = codec.write(Map.of("operations", operations));
        if (plain.length >= 1024) { // the SDK's default gzipThreshold
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(plain);
            }
            batchBody = out.toByteArray();
            batchEncoding = "gzip";
        } else {
            batchBody = plain;
        }
        ApiEndpoint.Encoded check = batch();
        if (check.status() != 200) {
            throw new IllegalStateException("the batch failed: " + check.status());
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
    }

    @Benchmark
    public ApiEndpoint.Encoded batch() {
        return endpoint.execute("POST", "/api/v1/batch", mediaType, batchEncoding, mediaType, true, batchBody);
    }

    @Benchmark
    public void individual(Blackhole bh) {
        for (int i = 0; i < ops; i++) {
            bh.consume(endpoint.execute("GET", BACKEND, null, null, mediaType, true, new byte[0]));
        }
    }
}
