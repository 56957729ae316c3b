package io.sluice.gateway.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.gateway.api.ApiEndpoint;
import io.sluice.gateway.http.codec.LingeringClose;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the admin endpoints; stateless, shared by every admin connection. */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

    static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    static final String JSON = "application/json";
    /** Prometheus text exposition format 0.0.4 (the value of {@code PrometheusTextFormatWriter.CONTENT_TYPE}). */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics 1.0 (the value of {@code OpenMetricsTextFormatWriter.CONTENT_TYPE}). */
    static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    static final String ALLOW = "GET, HEAD";

    private final Readiness readiness;
    private final byte[] versionJson;
    private final PrometheusMeterRegistry registry;
    private final ApiEndpoint api;

    AdminHandler(Readiness readiness, byte[] versionJson, PrometheusMeterRegistry registry, ApiEndpoint api) {
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.versionJson = versionJson;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.api = api;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            FullHttpResponse response = text(ctx, request, HttpResponseStatus.BAD_REQUEST, "bad request\n");
            HttpUtil.setKeepAlive(response, false);
            LingeringClose.respond(ctx, response);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (api != null && ApiEndpoint.owns(path)) {
            api.serve(ctx, request);
            return;
        }
        if (!isEndpoint(path)) {
            send(ctx, request, text(ctx, request, HttpResponseStatus.NOT_FOUND, "not found: " + path + "\n"));
            return;
        }
        HttpMethod method = request.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            FullHttpResponse response =
                    text(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n");
            response.headers().set(HttpHeaderNames.ALLOW, ALLOW);
            send(ctx, request, response);
            return;
        }
        FullHttpResponse response = switch (path) {
            case "/healthz" -> text(ctx, request, HttpResponseStatus.OK, "ok\n");
            case "/readyz" -> readyz(ctx, request);
            case "/version" -> response(request, HttpResponseStatus.OK, JSON, Unpooled.wrappedBuffer(versionJson));
            case "/metrics" -> metrics(ctx, request, uri);
            default -> throw new IllegalStateException(path);
        };
        send(ctx, request, response);
    }

    private static boolean isEndpoint(String path) {
        return switch (path) {
            case "/healthz", "/readyz", "/version", "/metrics" -> true;
            default -> false;
        };
    }

    private FullHttpResponse readyz(ChannelHandlerContext ctx, FullHttpRequest request) {
        Readiness.Status status = readiness.status();
        if (status.ready()) {
            return text(ctx, request, HttpResponseStatus.OK, "ready\n");
        }
        return text(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, String.join("\n", status.reasons()) + "\n");
    }

    private FullHttpResponse metrics(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        String contentType = wantsOpenMetrics(request.headers()) ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
        // Prometheus' own exporters honour ?name[]=metric_name to scrape a subset; so do we.
        List<String> names = uri.parameters().get("name[]");
        ByteBuf body = ctx.alloc().buffer(16 * 1024);
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            if (names == null || names.isEmpty()) {
                registry.scrape(out, contentType);
            } else {
                registry.scrape(out, contentType, Set.copyOf(names));
            }
        } catch (Exception e) {
            body.release();
            log.warn("metrics scrape failed", e);
            return text(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, "scrape failed\n");
        }
        return response(request, HttpResponseStatus.OK, contentType, body);
    }

    /** Whether the Accept header lists OpenMetrics text (as Prometheus sends it when it prefers it). */
    static boolean wantsOpenMetrics(HttpHeaders headers) {
        for (String accept : headers.getAll(HttpHeaderNames.ACCEPT)) {
            if (accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text")) {
                return true;
            }
        }
        return false;
    }

    private static FullHttpResponse text(
            ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String body) {
        return response(request, status, TEXT_PLAIN, ByteBufUtil.writeUtf8(ctx.alloc(), body));
    }

    private static FullHttpResponse response(
            FullHttpRequest request, HttpResponseStatus status, String contentType, ByteBuf body) {
        HttpVersion version = request.protocolVersion();
        FullHttpResponse response = new DefaultFullHttpResponse(version, status, body);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        // Health, readiness and metrics are only true for the instant they are served.
        headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(response, body.readableBytes());
        return response;
    }

    /** Writes the response; a HEAD answer keeps GET's headers (Content-Length included) and drops the body. */
    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        if (HttpMethod.HEAD.equals(request.method())) {
            FullHttpResponse head = response.replace(Unpooled.EMPTY_BUFFER);
            response.release();
            response = head;
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection {} failed; closing", ctx.channel(), cause);
        ctx.close();
    }
}
