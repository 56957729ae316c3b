package io.sluice.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.core.config.ProxyHeaders;
import org.junit.jupiter.api.Test;

class HeaderRewriterTest {

    private final HeaderRewriter rewriter = new HeaderRewriter(new ProxyHeaders(true, true, "sluice", true));

    private static HttpResponse response() {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    }

    private static java.util.List<String> lowerNames(HttpHeaders headers) {
        return headers.names().stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList();
    }

    @Test
    void removesEveryHopByHopFieldAndTheOnesConnectionNames() {
        HttpResponse response = response();
        response.headers()
                .add("Content-Type", "text/plain")
                .add("CONNECTION", "close ,X-A,\tx-b")
                .add("connection", "Keep-Alive, upgrade")
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "keep-alive")
                .add("TE", "trailers")
                .add("Upgrade", "h2c")
                .add("Proxy-Authenticate", "Basic")
                .add("Proxy-Authorization", "Basic x")
                .add("Trailer", "X-T")
                .add("X-A", "1")
                .add("x-B", "2")
                .add("Close", "reserved")
                .add("X-C", "stays");
        rewriter.toDownstream(response, "1.1");
        HttpHeaders headers = response.headers();
        assertThat(lowerNames(headers)).containsExactlyInAnyOrder("content-type", "x-c", "via");
        assertThat(headers.get("via")).isEqualTo("1.1 sluice");
    }

    @Test
    void keepsTransferEncodingEvenWhenConnectionNamesIt() {
        HttpResponse response = response();
        response.headers().add("Transfer-Encoding", "chunked").add("Connection", "transfer-encoding, keep-alive");
        rewriter.toDownstream(response, "1.0");
        assertThat(response.headers().get("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(response.headers().contains("Connection")).isFalse();
        assertThat(response.headers().get("Via")).isEqualTo("1.0 sluice");
    }

    @Test
    void leavesAMessageWithoutHopByHopFieldsAloneButForVia() {
        HttpResponse response = response();
        response.headers().add("Content-Length", "3").add("Via", "1.1 edge");
        rewriter.toDownstream(response, "1.1");
        assertThat(lowerNames(response.headers())).containsExactlyInAnyOrder("content-length", "via");
        assertThat(response.headers().get("Via")).isEqualTo("1.1 edge, 1.1 sluice");
    }
}
