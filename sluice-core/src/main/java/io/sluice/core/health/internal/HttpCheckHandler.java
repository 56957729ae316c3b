package io.sluice.core.health.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Sends the check request when connected and judges the answer; every message it reads is released. */
final class HttpCheckHandler extends ChannelInboundHandlerAdapter {

    private final CheckTarget target;
    private final CompletableFuture<CheckResult> result;
    private final Optional<String> expectedBody;
    private ByteArrayOutputStream body;
    private int status;

    HttpCheckHandler(CheckTarget target, CompletableFuture<CheckResult> result) {
        this.target = target;
        this.result = result;
        this.expectedBody = target.config().expectedBody();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target.config().path());
        request.headers()
                .set(HttpHeaderNames.HOST, target.config().host().orElse(target.address()))
                .set(HttpHeaderNames.USER_AGENT, "sluice-health-check")
                .set(HttpHeaderNames.ACCEPT, "*/*")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(request);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (result.isDone()) {
                return;
            }
            if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
                finish(CheckResult.failed("malformed response: " + Resolve.describe(o.decoderResult().cause())));
                return;
            }
            if (msg instanceof HttpResponse response) {
                onHead(response);
            }
            if (msg instanceof HttpContent content && body != null) {
                onBody(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(HttpResponse response) {
        status = response.status().code();
        if (!target.config().acceptsStatus(status)) {
            finish(CheckResult.failed("HTTP " + status + " (expected " + ranges() + ")"));
        } else if (expectedBody.isEmpty()) {
            finish(CheckResult.ok("HTTP " + status));
        } else {
            body = new ByteArrayOutputStream();
        }
    }

    private void onBody(HttpContent content) {
        ByteBuf buf = content.content();
        int take = Math.min(buf.readableBytes(), maxBodyLeft());
        byte[] bytes = new byte[take];
        buf.getBytes(buf.readerIndex(), bytes);
        body.write(bytes, 0, take);
        if (content instanceof LastHttpContent || body.size() >= HttpCheck.MAX_BODY) {
            String text = body.toString(StandardCharsets.UTF_8);
            String expected = expectedBody.orElseThrow();
            finish(text.contains(expected)
                    ? CheckResult.ok("HTTP " + status + ", body contains " + quote(expected))
                    : CheckResult.failed("HTTP " + status + ", body lacks " + quote(expected)
                            + (body.size() >= HttpCheck.MAX_BODY ? " in its first " + HttpCheck.MAX_BODY + " bytes" : "")));
        }
    }

    private int maxBodyLeft() {
        return HttpCheck.MAX_BODY - body.size();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        finish(CheckResult.failed(Resolve.describe(cause)));
    }

    private void finish(CheckResult outcome) {
        result.complete(outcome); // the check closes the channel once the result is in
    }

    private String ranges() {
        return String.join(", ", target.config().expectedStatus().stream().map(Object::toString).toList());
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
