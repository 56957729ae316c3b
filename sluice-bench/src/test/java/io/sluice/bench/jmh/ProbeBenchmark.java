package io.sluice.bench.jmh;

import io.sluice.bench.load.Probe;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording one response costs on the generator's hot path (two single-writer HdrHistogram recorders).
 * Run: see bench/README.md ("JMH micro-benchmarks").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProbeBenchmark {

    private final Probe probe = new Probe();
    private long value = 100_000;

    @Benchmark
    public void recordResponse() {
        value = value * 6364136223846793005L + 1442695040888963407L;
        long nanos = 50_000 + (value >>> 44);
        probe.response(nanos, nanos);
    }
}
