package io.sluice.gateway.http.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
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

class SluiceServerCodecTest {

    /** Stands in for the proxy: remembers what reached it, releases all buffers at once. */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<HttpRequest> requests = new ArrayList<>();
        final StringBuilder body = new StringBuilder();
        final List<Object> messages = new ArrayList<>();
        int lastContents;
        final List<Object> events = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            messages.add(msg.getClass().getSimpleName());
            if (msg instanceof HttpRequest request) {
                requests.add(request);
            }
            if (msg instanceof HttpContent content) {
                body.append(content.content().toString(StandardCharsets.ISO_8859_1));
            }
            if (msg instanceof LastHttpContent) {
                lastContents++;
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    }

    private final Recorder proxy = new Recorder();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new SluiceServerCodec(256, 1024, 8192), new FramingGuard(), proxy);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private void send(String raw) {
        channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
    }

    /** Everything written to the client so far, as text. */
    private String written() {
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            sb.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return sb.toString();
    }

    /** The one response written: the given status, Connection: close, the reason, a closed channel. */
    private void assertRejected(int status, String reason) {
        String response = written();
        assertThat(response).startsWith("HTTP/1.1 " + status + " ");
        assertThat(response).containsIgnoringCase("connection: close\r\n");
        assertThat(response).containsIgnoringCase("content-type: text/plain; charset=utf-8\r\n");
        assertThat(response).contains(reason);
        assertThat(channel.isOpen()).isFalse();
    }

    private void assertNothingReachedProxy() {
        assertThat(proxy.messages).isEmpty();
        assertThat(proxy.events).isEmpty();
    }

    private void rejects400(String raw, String reason) {
        send(raw);
        assertRejected(400, "bad request: " + reason);
        assertNothingReachedProxy();
    }

    @Test
    void rejectsContentLengthWithTransferEncoding() {
        rejects400("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n",
                "both Content-Length and Transfer-Encoding present");
    }

    @Test
    void rejectsTransferEncodingBeforeContentLength() {
        rejects400("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n",
                "both Content-Length and Transfer-Encoding present");
    }

    @Test
    void rejectsDuplicateContentLengthEvenWhenEqual() {
        rejects400("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
                "multiple Content-Length header fields");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+5", "-1", "", " ", "5a", "0x5", "5, 5", "5 5", "1.0", "99999999999999999999"})
    void rejectsMalformedContentLength(String value) {
        rejects400("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + value + "\r\n\r\nabcde",
                "malformed Content-Length");
    }

    @Test
    void acceptsContentLengthWithSurroundingWhitespace() {
        send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\t 3 \r\n\r\nabc");
        assertThat(proxy.requests).hasSize(1);
        assertThat(proxy.body).hasToString("abc");
        assertThat(channel.isOpen()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "chunked, gzip", "gzip, chunked", "identity", "chunked, chunked", "chunked;q=1",
        "chunkedx", "", "\"chunked\""})
    void rejectsTransferEncodingOtherThanChunked(String value) {
        rejects400("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + value + "\r\n\r\n0\r\n\r\n",
                "Transfer-Encoding other than chunked");
    }

    @Test
    void rejectsTransferEncodingSplitOverSeveralLines() {
        rejects400("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n", "multiple Transfer-Encoding header fields");
    }

    @Test
    void rejectsTransferEncodingInHttp10Request() {
        rejects400("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "Transfer-Encoding in an HTTP/1.0 message");
    }

    @Test
    void acceptsChunkedInAnyCase() {
        send("POST / HTTP/1.1\r\nHost: a\r\ntransfer-encoding: ChUnKeD\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        assertThat(proxy.body).hasToString("abc");
        assertThat(proxy.lastContents).isEqualTo(1);
    }

    @Test
    void rejectsObsoleteLineFolding() {
        rejects400("GET / HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n two\r\n\r\n", "obsolete line folding in header");
    }

    @Test
    void rejectsFoldedTransferEncoding() {
        rejects400("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\tchunked\r\n\r\n0\r\n\r\n",
                "obsolete line folding in header");
    }

    @Test
    void rejectsWhitespaceBeforeFirstHeader() {
        rejects400("GET / HTTP/1.1\r\n Host: a\r\n\r\n",
                "whitespace between the start line and the first header field");
    }

    @Test
    void rejectsBareCarriageReturnInHeader() {
        rejects400("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rTransfer-Encoding: chunked\r\n\r\n",
                "bare CR in message head");
    }

    @Test
    void rejectsBareCarriageReturnInRequestLine() {
        rejects400("GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", "bare CR in request line");
    }

    @Test
    void rejectsBareCarriageReturnAfterRequestLine() {
        rejects400("GET / HTTP/1.1\rHost: a\r\n\r\n", "bare CR in message head");
    }

    @Test
    void rejectsBareLineFeed() {
        rejects400("GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", "bare LF in header");
    }

    @Test
    void rejectsWhitespaceBeforeColon() {
        rejects400("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
                "whitespace between header name and colon");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X@Y: 1", "X\u0001Y: 1", "X(Y): 1", "X\u00e9: 1", "X\"Y: 1"})
    void rejectsInvalidHeaderName(String line) {
        rejects400("GET / HTTP/1.1\r\nHost: a\r\n" + line + "\r\n\r\n", "invalid character in header name");
    }

    @Test
    void rejectsHeaderLineWithoutColon() {
        rejects400("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", "header line without colon");
    }

    @Test
    void rejectsNulInHeaderValue() {
        rejects400("GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n", "NUL in header value");
    }

    @Test
    void rejectsControlCharacterInHeaderValue() {
        rejects400("GET / HTTP/1.1\r\nHost: a\r\nX: a\u000bb\r\n\r\n", "control character in header value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"G@T / HTTP/1.1", "GET  / HTTP/1.1", "GET\t/ HTTP/1.1", " GET / HTTP/1.1"})
    void rejectsInvalidMethodOrSeparator(String line) {
        send(line + "\r\nHost: a\r\n\r\n");
        assertRejected(400, "bad request: ");
        assertNothingReachedProxy();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/1.2", "GET / HTTP/2.0", "GET / http/1.1", "GET / HTTP/1.1 ", "GET / HTTP/1",
        "GET / HTTP/1.1x"})
    void rejectsInvalidVersion(String line) {
        rejects400(line + "\r\nHost: a\r\n\r\n", "invalid HTTP version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "GET ", "GET  HTTP/1.1", "GET HTTP/1.1"})
    void rejectsMissingRequestTarget(String line) {
        send(line + "\r\nHost: a\r\n\r\n");
        assertRejected(400, "bad request: ");
        assertNothingReachedProxy();
    }

    @Test
    void rejectsInvalidCharacterInRequestTarget() {
        rejects400("GET /a\u007fb HTTP/1.1\r\nHost: a\r\n\r\n", "invalid character in request-target");
    }

    @Test
    void rejectsMissingHost() {
        rejects400("GET / HTTP/1.1\r\n\r\n", "missing Host header");
    }

    @Test
    void rejectsDuplicateHost() {
        rejects400("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "multiple Host header fields");
    }

    @Test
    void rejectsInvalidChunkSizeAfterHeadersWerePassedOn() {
        send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n\r\n");
        assertThat(proxy.requests).hasSize(1);
        assertThat(proxy.body).hasToString("abc");
        assertThat(proxy.lastContents).isZero();
        assertThat(proxy.events).containsExactly(new FramingGuard.FramingError("invalid chunk size"));
        assertRejected(400, "bad request: invalid chunk size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "+1", " 1", "1 ", "", "fffffffffff", "1\r1"})
    void rejectsMalformedChunkSizeLines(String sizeLine) {
        send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + sizeLine + "\r\na\r\n0\r\n\r\n");
        assertThat(proxy.requests).hasSize(1);
        assertThat(proxy.lastContents).isZero();
        assertThat(proxy.events).singleElement().isInstanceOf(FramingGuard.FramingError.class);
        assertRejected(400, "bad request: invalid chunk");
    }

    @Test
    void rejectsBadChunkTerminator() {
        send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXX0\r\n\r\n");
        assertThat(proxy.requests).hasSize(1);
        assertThat(proxy.lastContents).isZero();
        assertThat(proxy.events).containsExactly(new FramingGuard.FramingError("invalid chunk terminator"));
        assertRejected(400, "bad request: invalid chunk terminator");
    }

    @Test
    void lateChunkErrorOnlyClosesWhenTheResponseHasStarted() {
        send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        channel.writeAndFlush(head);
        assertThat(written()).startsWith("HTTP/1.1 200 OK");

        send("nothex\r\n");
        assertThat(proxy.events).containsExactly(new FramingGuard.FramingError("invalid chunk size"));
        assertThat(written()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void lateChunkErrorAnswersAfterEarlierPipelinedResponses() {
        send("GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n");
        assertThat(proxy.requests).extracting(HttpRequest::uri).containsExactly("/a", "/b");
        assertThat(proxy.events).containsExactly(new FramingGuard.FramingError("invalid chunk size"));
        assertThat(written()).isEmpty();
        assertThat(channel.isOpen()).isTrue();

        DefaultFullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        ok.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        channel.writeAndFlush(ok);
        String out = written();
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\n\r\nHTTP/1.1 400 Bad Request\r\n")
                .endsWith("bad request: invalid chunk size\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void answers431ForOversizedHeaders() {
        rejectsWith(431, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(2000) + "\r\n\r\n");
    }

    @Test
    void answers414ForOversizedRequestLine() {
        rejectsWith(414, "GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    private void rejectsWith(int status, String raw) {
        send(raw);
        assertRejected(status, "");
        assertNothingReachedProxy();
    }

    @Test
    void answers417ForUnsupportedExpectation() {
        send("POST / HTTP/1.1\r\nHost: a\r\nExpect: something-else\r\nContent-Length: 1\r\n\r\nx");
        assertRejected(417, "expectation not supported");
        assertNothingReachedProxy();
    }

    @Test
    void passesHundredContinueExpectation() {
        send("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx");
        assertThat(proxy.requests).hasSize(1);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void dropsEverythingAfterARejectedRequest() {
        send("GET / HTTP/1.1\r\nHost: a\r\nX : y\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        assertRejected(400, "whitespace between header name and colon");
        assertNothingReachedProxy();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  folded\r\n\r\n",
        "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET\r / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"})
    void rejectsAHeadSplitOverManyReads(String raw) {
        for (char c : raw.toCharArray()) {
            if (channel.isOpen()) {
                send(String.valueOf(c));
            }
        }
        assertRejected(400, "bad request: ");
        assertNothingReachedProxy();
    }

    /** The scanner walks a head in pieces of a few hundred bytes: a violation past the first piece still counts. */
    @ParameterizedTest
    @ValueSource(strings = {"X-Long: %s\u0001x\r\n", "X-Long: %s\r\nContent-Length: 1\r\nContent-Length: 1\r\n",
        "X-Long: %s\r\nX Bad: 1\r\n"})
    void rejectsAViolationFarIntoALongHead(String fields) {
        String raw = "GET / HTTP/1.1\r\nHost: a\r\n" + fields.formatted("v".repeat(600)) + "\r\n";
        rejects400(raw, "");
    }

    /** Paddings that walk the duplicate Content-Length names across the scanner's 256-byte piece boundary. */
    static java.util.stream.IntStream paddings() {
        return java.util.stream.IntStream.range(200, 260);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("paddings")
    void findsFramingFieldsWhereverThePiecesOfTheHeadEnd(int pad) {
        rejects400("GET / HTTP/1.1\r\nHost: a\r\nX: " + "v".repeat(pad) + "\r\nContent-Length: 1\r\ncontent-LENGTH: 1"
                + "\r\n\r\nx", "multiple Content-Length");
    }

    @Test
    void passesABodylessRequestAsOneMessageButAnUpgradeOrABodyInParts() {
        send("GET /a HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"
                + "GET /b HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
                + "POST /c HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx");
        assertThat(proxy.messages).containsExactly("DefaultFullHttpRequest",
                "DefaultHttpRequest", "" /* LastHttpContent.EMPTY_LAST_CONTENT: an anonymous class */,
                "DefaultHttpRequest", "DefaultLastHttpContent");
        assertThat(proxy.requests.get(0).headers().get("Content-Length")).isEqualTo("0");
        assertThat(proxy.lastContents).isEqualTo(3);
    }

    @Test
    void passesALongValidHeadWhole() {
        String value = "a b\tc~".repeat(120);
        send("GET /long HTTP/1.1\r\nHost: a\r\nX-Long: " + value + "\r\nContent-Length: 2\r\n\r\nhi");
        assertThat(proxy.requests).singleElement()
                .satisfies(request -> assertThat(request.headers().get("X-Long")).isEqualTo(value));
        assertThat(proxy.body).hasToString("hi");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void passesValidChunkedRequestUntouched() {
        String raw = "POST /upload?x=1 HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n"
                + "X-Trace: a b\tc\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
        // One byte at a time: the scanner must resume correctly across reads.
        for (char c : raw.toCharArray()) {
            send(String.valueOf(c));
        }
        assertThat(proxy.requests).singleElement().satisfies(request -> {
            assertThat(request.uri()).isEqualTo("/upload?x=1");
            assertThat(request.headers().get("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(request.headers().get("X-Trace")).isEqualTo("a b\tc");
            assertThat(request.headers().contains("Content-Length")).isFalse();
        });
        assertThat(proxy.body).hasToString("hello world");
        assertThat(proxy.lastContents).isEqualTo(1);
        assertThat(proxy.events).isEmpty();
        assertThat(written()).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void passesValidKeepAlivePipelinedRequests() {
        send("\r\nPOST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nd\r\n0\r\n\r\n"
                + "GET /d HTTP/1.0\r\n\r\n");
        assertThat(proxy.requests).extracting(HttpRequest::uri).containsExactly("/a", "/b", "/c", "/d");
        assertThat(proxy.body).hasToString("abcd");
        assertThat(proxy.lastContents).isEqualTo(4);
        assertThat(written()).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void rejectionWaitsForResponsesToEarlierPipelinedRequests() {
        send("GET /ok HTTP/1.1\r\nHost: a\r\n\r\nGET /bad HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
                + "Content-Length: 2\r\n\r\n");
        assertThat(proxy.requests).extracting(HttpRequest::uri).containsExactly("/ok");
        assertThat(written()).isEmpty();

        DefaultFullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("fine", StandardCharsets.US_ASCII));
        ok.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 4);
        channel.writeAndFlush(ok);
        String out = written();
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").contains("fine" + "HTTP/1.1 400 Bad Request\r\n");
        assertThat(out).contains("bad request: multiple Content-Length header fields");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void answersHeadResponseWithoutBody() {
        send("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\nGET /y HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(proxy.requests).extracting(HttpRequest::uri).containsExactly("/x", "/y");

        for (int i = 0; i < 2; i++) {
            DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 5);
            channel.write(head);
            channel.writeAndFlush(i == 0 ? LastHttpContent.EMPTY_LAST_CONTENT
                    : new io.netty.handler.codec.http.DefaultLastHttpContent(
                            Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII)));
        }
        assertThat(written()).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello");
        assertThat(channel.isOpen()).isTrue();
    }
}
