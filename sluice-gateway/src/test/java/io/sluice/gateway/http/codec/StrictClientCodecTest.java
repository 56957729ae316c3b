package io.sluice.gateway.http.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictClientCodecTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new StrictClientCodec(256, 1024, 8192));

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    /** Sends a request so the codec knows which method the next response answers. */
    private void request(HttpMethod method) {
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(o);
        }
    }

    /** What the codec decoded from the given response bytes, summarised; all buffers released. */
    private List<String> receive(String raw) {
        channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        List<String> seen = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            if (o instanceof DecoderResultProvider p && p.decoderResult().isFailure()) {
                seen.add("FAILED: " + p.decoderResult().cause().getMessage());
            } else if (o instanceof HttpResponse response) {
                seen.add(response.status().code() + " " + response.headers().entries().toString().toLowerCase(java.util.Locale.ROOT));
            } else if (o instanceof LastHttpContent last) {
                seen.add("LAST[" + last.content().toString(StandardCharsets.ISO_8859_1) + "]");
            } else if (o instanceof HttpContent content) {
                seen.add("[" + content.content().toString(StandardCharsets.ISO_8859_1) + "]");
            } else if (o instanceof ByteBuf raw2) {
                seen.add("RAW[" + raw2.toString(StandardCharsets.ISO_8859_1) + "]");
            } else {
                seen.add(o.toString());
            }
            ReferenceCountUtil.release(o);
        }
        return seen;
    }

    private void assertRejected(String raw, String reason) {
        request(HttpMethod.GET);
        List<String> seen = receive(raw);
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(0)).isEqualTo("FAILED: " + reason);
        // Nothing after the failure: the connection is unusable.
        assertThat(seen).hasSize(1);
        assertThat(receive("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")).isEmpty();
    }

    @Test
    void rejectsContentLengthWithTransferEncoding() {
        assertRejected("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "both Content-Length and Transfer-Encoding present");
    }

    @Test
    void rejectsDuplicateContentLengthEvenWhenEqual() {
        assertRejected("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
                "multiple Content-Length header fields");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+3", "-3", "", "3a", "3,3", "99999999999999999999"})
    void rejectsMalformedContentLength(String value) {
        assertRejected("HTTP/1.1 200 OK\r\nContent-Length: " + value + "\r\n\r\nabc", "malformed Content-Length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "chunked, gzip", "gzip, chunked", "identity"})
    void rejectsTransferEncodingOtherThanChunked(String value) {
        // Netty would read a "gzip" body until the connection closes; a backend might disagree.
        assertRejected("HTTP/1.1 200 OK\r\nTransfer-Encoding: " + value + "\r\n\r\nabc",
                "Transfer-Encoding other than chunked");
    }

    @Test
    void rejectsTransferEncodingInHttp10Response() {
        assertRejected("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "Transfer-Encoding in an HTTP/1.0 message");
    }

    @Test
    void rejectsObsoleteLineFolding() {
        assertRejected("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: a\r\n b\r\n\r\n", "obsolete line folding in header");
    }

    @Test
    void rejectsBareCarriageReturn() {
        assertRejected("HTTP/1.1 200 OK\r\nX: a\rContent-Length: 0\r\n\r\n", "bare CR in message head");
    }

    @Test
    void rejectsBareCarriageReturnInStatusLine() {
        assertRejected("HTTP/1.1 200 O\rK\r\nContent-Length: 0\r\n\r\n", "bare CR in message head");
    }

    @Test
    void rejectsWhitespaceBeforeColon() {
        // Netty strips it in responses; RFC 9112 §5.1 lets a proxy do so, but rejecting cannot be misread.
        assertRejected("HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nabcde", "whitespace between header name and colon");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/2.0 200 OK", "HTTP/1.1  200 OK", "XTTP/1.1 200 OK"})
    void rejectsInvalidStatusLine(String line) {
        request(HttpMethod.GET);
        assertThat(receive(line + "\r\nContent-Length: 0\r\n\r\n")).singleElement().asString().startsWith("FAILED: ");
    }

    @Test
    void rejectsInvalidChunkSizeAfterTheHeadWasPassedOn() {
        request(HttpMethod.GET);
        List<String> seen = receive("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\nxyz\r\n");
        assertThat(seen).hasSize(3);
        assertThat(seen.get(0)).startsWith("200 ");
        assertThat(seen.get(1)).isEqualTo("[ab]");
        assertThat(seen.get(2)).startsWith("FAILED: ");
    }

    @Test
    void rejectsBadChunkTerminator() {
        request(HttpMethod.GET);
        List<String> seen = receive("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n0\r\n\r\n");
        assertThat(seen).last().asString().startsWith("FAILED: ");
    }

    @Test
    void passesValidChunkedResponse() {
        request(HttpMethod.GET);
        assertThat(receive("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n"))
                .containsExactly("200 [transfer-encoding=chunked]", "[ab]", "[c]", "LAST[]");
    }

    @Test
    void passesValidContentLengthResponsesBackToBack() {
        request(HttpMethod.GET);
        request(HttpMethod.POST);
        assertThat(receive("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
                + "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"))
                .containsExactly("200 [content-length=3]", "LAST[abc]", "201 [content-length=0]", "LAST[]");
    }

    @Test
    void headResponseWithContentLengthHasNoBody() {
        request(HttpMethod.HEAD);
        request(HttpMethod.GET);
        assertThat(receive("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"))
                .containsExactly("200 [content-length=5]", "LAST[]", "200 [content-length=2]", "LAST[hi]");
    }

    @Test
    void interimResponseDoesNotConsumeTheRequest() {
        request(HttpMethod.HEAD);
        assertThat(receive("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"))
                .containsExactly("100 []", "LAST[]", "200 [content-length=5]", "LAST[]");
    }

    @Test
    void connectTunnelPassesBytesThrough() {
        request(HttpMethod.CONNECT);
        assertThat(receive("HTTP/1.1 200 Connection Established\r\n\r\n\u0016\u0003\u0001 not http\r\n"))
                .containsExactly("200 []", "LAST[]", "RAW[\u0016\u0003\u0001 not http\r\n]");
    }

    @Test
    void switchingProtocolsPassesBytesThrough() {
        request(HttpMethod.GET);
        assertThat(receive("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
                + "Sec-WebSocket-Accept: x\r\n\r\n\u0081\u0002hi")).containsExactly(
                        "101 [upgrade=websocket, connection=upgrade, sec-websocket-accept=x]", "LAST[]",
                        "RAW[\u0081\u0002hi]");
    }

    @Test
    void readsUntilCloseWithoutFraming() {
        request(HttpMethod.GET);
        List<String> seen = receive("HTTP/1.1 200 OK\r\n\r\nbody");
        assertThat(seen).containsExactly("200 []", "[body]");
        channel.finish();
        List<String> rest = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            rest.add(o instanceof LastHttpContent ? "LAST" : String.valueOf(o));
            ReferenceCountUtil.release(o);
        }
        assertThat(rest).containsExactly("LAST");
    }

}
