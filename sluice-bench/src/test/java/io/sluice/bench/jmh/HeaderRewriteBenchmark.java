package io.sluice.bench.jmh;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.core.config.ProxyHeaders;
import io.sluice.gateway.proxy.HeaderRewriter;
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
 * Cost of the proxy's header work per exchange: a typical browser request rewritten for the backend (hop-by-hop
 * removal, Host, X-Forwarded-*, Via) and its response rewritten for the client. Each invocation builds fresh
 * messages, as the codec does per request; {@link #buildOnly} is that share alone, to subtract.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeaderRewriteBenchmark {

    private final HeaderRewriter rewriter = new HeaderRewriter(new ProxyHeaders(true, true, "sluice", true));

    private static HttpRequest request() {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/items?page=2");
        r.headers()
                .set("host", "shop.example.com")
                .set("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)")
                .set("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .set("accept-encoding", "gzip, deflate, br")
                .set("accept-language", "en-GB,en;q=0.9")
                .set("cookie", "session=4f2a9c0e7b; theme=dark")
                .set("connection", "keep-alive, x-trace")
                .set("x-trace", "1")
                .set("keep-alive", "timeout=5");
        return r;
    }

    private static HttpResponse response() {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers()
                .set("content-type", "application/json")
                .set("content-length", "1024")
                .set("cache-control", "no-store")
                .set("date", "Mon, 23 Nov 2026 12:00:00 GMT")
                .set("connection", "keep-alive");
        return r;
    }

    @Benchmark
    public Object buildOnly() {
        return new Object[] {request(), response()};
    }

    @Benchmark
    public Object rewriteRequestAndResponse() {
        HttpRequest req = request();
        rewriter.toUpstream(req, "203.0.113.7", "https", "1.1", "10.0.0.12:8080");
        HttpResponse res = response();
        rewriter.toDownstream(res, "1.1");
        return res;
    }
}
