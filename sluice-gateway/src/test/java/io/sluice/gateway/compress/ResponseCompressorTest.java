package io.sluice.gateway.compress;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResponseCompressorTest {

    private static final String TEXT = "the quick brown fox jumps over the lazy dog. ".repeat(100);

    private final EmbeddedChannel channel = new EmbeddedChannel(new ResponseCompressor(CompressionLevels.balanced()));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void gzipsCompressibleResponseAndRoundTrips() throws IOException {
        Sent sent = exchange("gzip", "text/plain; charset=utf-8", TEXT, HttpResponseStatus.OK, CompressionPolicy.defaults());
        assertThat(sent.head.headers().get(HttpHeaderNames.CONTENT_ENCODING)).isEqualTo("gzip");
        assertThat(sent.head.headers().get(HttpHeaderNames.VARY)).isEqualToIgnoringCase("accept-encoding");
        assertThat(sent.body.length).isLessThan(TEXT.length() / 4);
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(sent.body)).readAllBytes(),
                StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    @Test
    void prefersZstdWhenTheClientAcceptsIt() {
        Sent sent = exchange("gzip, zstd", "application/json", TEXT, HttpResponseStatus.OK, CompressionPolicy.defaults());
        assertThat(sent.head.headers().get(HttpHeaderNames.CONTENT_ENCODING)).isEqualTo("zstd");
        byte[] plain = new byte[TEXT.length()];
        Zstd.decompress(plain, sent.body);
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    @Test
    void leavesResponseAloneWhenClientDoesNotAsk() {
        Sent sent = exchange(null, "text/plain", TEXT, HttpResponseStatus.OK, CompressionPolicy.defaults());
        assertThat(sent.head.headers().contains(HttpHeaderNames.CONTENT_ENCODING)).isFalse();
        assertThat(sent.head.headers().get(HttpHeaderNames.VARY)).isEqualToIgnoringCase("accept-encoding");
        assertThat(new String(sent.body, StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    @Test
    void leavesSmallResponsesAlone() {
        Sent sent = exchange("gzip", "text/plain", "tiny", HttpResponseStatus.OK, CompressionPolicy.defaults());
        assertThat(sent.head.headers().contains(HttpHeaderNames.CONTENT_ENCODING)).isFalse();
        assertThat(new String(sent.body, StandardCharsets.UTF_8)).isEqualTo("tiny");
    }

    @Test
    void leavesAlreadyCompressedTypesAlone() {
        Sent sent = exchange("gzip", "image/png", TEXT, HttpResponseStatus.OK, CompressionPolicy.defaults());
        assertThat(sent.head.headers().contains(HttpHeaderNames.CONTENT_ENCODING)).isFalse();
        assertThat(sent.head.headers().contains(HttpHeaderNames.VARY)).isFalse();
    }

    @Test
    void leavesRangesAlone() {
        Sent sent = exchange("gzip", "text/plain", TEXT, HttpResponseStatus.PARTIAL_CONTENT, CompressionPolicy.defaults());
        assertThat(sent.head.headers().contains(HttpHeaderNames.CONTENT_ENCODING)).isFalse();
    }

    @Test
    void leavesEverythingAloneWithoutAPolicy() {
        Sent sent = exchange("gzip", "text/plain", TEXT, HttpResponseStatus.OK, null);
        assertThat(sent.head.headers().contains(HttpHeaderNames.CONTENT_ENCODING)).isFalse();
        assertThat(new String(sent.body, StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    private record Sent(HttpResponse head, byte[] body) {}

    private Sent exchange(String acceptEncoding, String contentType, String body, HttpResponseStatus status,
                          CompressionPolicy policy) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        if (acceptEncoding != null) {
            request.headers().set(HttpHeaderNames.ACCEPT_ENCODING, acceptEncoding);
        }
        channel.writeInbound(request);
        ReferenceCountUtil.release(channel.readInbound());
        channel.attr(ResponseCompressor.POLICY).set(policy);
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType).set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        channel.writeOutbound(response);
        HttpResponse head = null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            if (msg instanceof HttpResponse r && head == null) {
                head = r;
            }
            if (msg instanceof HttpContent c) {
                byte[] bytes = new byte[c.content().readableBytes()];
                c.content().readBytes(bytes);
                out.writeBytes(bytes);
            }
            ReferenceCountUtil.release(msg);
        }
        return new Sent(head, out.toByteArray());
    }
}
