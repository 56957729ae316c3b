package io.sluice.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {

    @TempDir
    Path root;

    private byte[] data;

    @BeforeEach
    void writeFile() throws Exception {
        data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Files.write(root.resolve("disk.img"), data);
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>hi</h1>");
    }

    @Test
    void servesWholeFileByZeroCopyWithValidators() {
        Reply reply = get("/files/disk.img", h -> {}, true);
        assertThat(reply.head.status().code()).isEqualTo(200);
        assertThat(reply.head.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("200000");
        assertThat(reply.head.headers().get(HttpHeaderNames.ACCEPT_RANGES)).isEqualTo("bytes");
        assertThat(reply.head.headers().get(HttpHeaderNames.ETAG)).startsWith("\"").doesNotStartWith("W/");
        assertThat(reply.head.headers().get(HttpHeaderNames.LAST_MODIFIED)).isNotBlank();
        assertThat(reply.regionPosition).isZero();
        assertThat(reply.regionCount).isEqualTo(200_000);
    }

    @Test
    void servesOneRangeWith206AndContentRange() {
        Reply reply = get("/files/disk.img", h -> h.set(HttpHeaderNames.RANGE, "bytes=1000-1999"), false);
        assertThat(reply.head.status().code()).isEqualTo(206);
        assertThat(reply.head.headers().get(HttpHeaderNames.CONTENT_RANGE)).isEqualTo("bytes 1000-1999/200000");
        assertThat(reply.body).isEqualTo(Arrays.copyOfRange(data, 1000, 2000));
    }

    @Test
    void servesASuffixRange() {
        Reply reply = get("/files/disk.img", h -> h.set(HttpHeaderNames.RANGE, "bytes=-10"), false);
        assertThat(reply.head.headers().get(HttpHeaderNames.CONTENT_RANGE)).isEqualTo("bytes 199990-199999/200000");
        assertThat(reply.body).isEqualTo(Arrays.copyOfRange(data, 199_990, 200_000));
    }

    @Test
    void chunkedPathSendsTheWholeFileIntact() {
        Reply reply = get("/files/disk.img", h -> {}, false);
        assertThat(reply.body).isEqualTo(data);
    }

    @Test
    void answers416ForARangeBeyondTheEnd() {
        Reply reply = get("/files/disk.img", h -> h.set(HttpHeaderNames.RANGE, "bytes=300000-"), true);
        assertThat(reply.head.status().code()).isEqualTo(416);
        assertThat(reply.head.headers().get(HttpHeaderNames.CONTENT_RANGE)).isEqualTo("bytes */200000");
    }

    @Test
    void ignoresRangeWhenIfRangeNoLongerMatches() {
        Reply reply = get("/files/disk.img", h -> h.set(HttpHeaderNames.RANGE, "bytes=0-9")
                .set(HttpHeaderNames.IF_RANGE, "\"stale-etag\""), true);
        assertThat(reply.head.status().code()).isEqualTo(200);
        assertThat(reply.regionCount).isEqualTo(200_000);
    }

    @Test
    void weakEtagInIfRangeNeverAllowsARange() {
        String etag = get("/files/disk.img", h -> {}, true).head.headers().get(HttpHeaderNames.ETAG);
        Reply reply = get("/files/disk.img", h -> h.set(HttpHeaderNames.RANGE, "bytes=0-9")
                .set(HttpHeaderNames.IF_RANGE, "W/" + etag), true);
        assertThat(reply.head.status().code()).isEqualTo(200);
    }

    @Test
    void answers304WhenTheEtagMatches() {
        String etag = get("/files/disk.img", h -> {}, true).head.headers().get(HttpHeaderNames.ETAG);
        Reply reply = get("/files/disk.img", h -> h.set(HttpHeaderNames.IF_NONE_MATCH, etag), true);
        assertThat(reply.head.status().code()).isEqualTo(304);
    }

    @Test
    void headAnswersHeadersOnly() {
        Reply reply = request(HttpMethod.HEAD, "/files/disk.img", h -> {}, true);
        assertThat(reply.head.status().code()).isEqualTo(200);
        assertThat(reply.head.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("200000");
        assertThat(reply.body).isEmpty();
        assertThat(reply.regionCount).isZero();
    }

    @Test
    void servesIndexOfADirectory() {
        Reply reply = get("/files/docs/", h -> {}, false);
        assertThat(new String(reply.body)).isEqualTo("<h1>hi</h1>");
        assertThat(reply.head.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/html");
    }

    @Test
    void refusesPathsThatLeaveTheRoot() {
        assertThat(get("/files/../etc/passwd", h -> {}, true).head.status().code()).isEqualTo(403);
        assertThat(get("/files/%2e%2e/etc/passwd", h -> {}, true).head.status().code()).isEqualTo(403);
        assertThat(get("/files/missing.bin", h -> {}, true).head.status().code()).isEqualTo(404);
    }

    @Test
    void refusesOtherMethodsWith405() {
        Reply reply = request(HttpMethod.POST, "/files/disk.img", h -> {}, true);
        assertThat(reply.head.status().code()).isEqualTo(405);
        assertThat(reply.head.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
    }

    private record Reply(HttpResponse head, byte[] body, long regionPosition, long regionCount) {}

    private Reply get(String uri, Consumer<io.netty.handler.codec.http.HttpHeaders> headers, boolean zeroCopy) {
        return request(HttpMethod.GET, uri, headers, zeroCopy);
    }

    private Reply request(HttpMethod method, String uri, Consumer<io.netty.handler.codec.http.HttpHeaders> headers,
                          boolean zeroCopy) {
        StaticFiles files = new StaticFiles(root, "/files", zeroCopy);
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                files.serve(ctx, (HttpRequest) msg, HttpVersion.HTTP_1_1, true, false);
                ReferenceCountUtil.release(msg);
            }
        });
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        headers.accept(request.headers());
        channel.writeInbound(request);
        channel.runPendingTasks();
        HttpResponse head = null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long position = 0;
        long count = 0;
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            if (msg instanceof HttpResponse r && head == null) {
                head = r;
            }
            if (msg instanceof HttpContent c) {
                byte[] bytes = new byte[c.content().readableBytes()];
                c.content().readBytes(bytes);
                body.writeBytes(bytes);
            }
            if (msg instanceof DefaultFileRegion region) {
                position = region.position();
                count = region.count();
            }
            ReferenceCountUtil.release(msg);
        }
        channel.finishAndReleaseAll();
        return new Reply(head, body.toByteArray(), position, count);
    }
}
