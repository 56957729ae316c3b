package io.sluice.bench.jmh;

import io.sluice.client.Format;
import io.sluice.client.internal.Codec;
import io.sluice.client.model.Backend;
import io.sluice.client.model.PoolState;
import io.sluice.client.model.Route;
import io.sluice.client.model.RouteList;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Seed 002's third table: encoding and decoding a ~10 KB document (a route list with 40 backends, about 10 KB as
 * JSON) with the SDK's codec, JSON vs MessagePack. The encoded sizes are printed at set-up. Add {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerializationBenchmark {

    @Param({"JSON", "MSGPACK"})
    public Format format;

    private final Codec codec = new Codec();
    private RouteList document;
    private byte[] encoded;

    static RouteList payload() {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            backends.add(new Backend("10.0." + i / 250 + "." + (i % 250) + ":8080", "10.0." + i / 250 + "." + (i % 250),
                    8080, 100 + i, 100 + i, "enabled", i % 7 == 0 ? "unhealthy" : "healthy", false, i % 7 != 0, i * 3L,
                    new PoolState(20, i % 20, 20 - i % 20, 0)));
        }
        return new RouteList(List.of(new Route("api", null, "/api/", "power_of_two_choices", false, false, 34, backends)));
    }

    @Setup
    public void setUp() {
        document = payload();
        encoded = codec.encode(document, format);
        System.err.printf("%n[SerializationBenchmark] %s encoded size: %d bytes%n", format, encoded.length);
    }

    @Benchmark
    public byte[] encode() {
        return codec.encode(document, format);
    }

    @Benchmark
    public RouteList decode() throws IOException {
        return codec.decode(encoded, format.mediaType(), RouteList.class);
    }

    @Benchmark
    public RouteList roundTrip() throws IOException {
        return codec.decode(codec.encode(document, format), format.mediaType(), RouteList.class);
    }
}
