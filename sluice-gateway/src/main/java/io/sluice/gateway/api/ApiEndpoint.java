package io.sluice.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sluice.core.config.AdminConfig;
import io.sluice.client.transport.Gzip;
import io.sluice.core.limit.RateLimiter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.zip.ZipException;

/**
 * The HTTP side of the control API on the admin listener: rate limit, bearer token, then (on the API thread)
 * content coding, content negotiation, the call, and the encoded answer. Every refusal is a problem+json.
 */
public final class ApiEndpoint {

    private final ControlApi api;
    private final RateLimiter limiter;
    private final byte[] token;

    public ApiEndpoint(ControlApi api, AdminConfig admin) {
        this.api = api;
        this.limiter = admin.rateLimit().enabled() ? new RateLimiter(admin.rateLimit()) : null;
        this.token = admin.token().map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** Whether {@code path} belongs to the API. */
    public static boolean owns(String path) {
        return path.equals(ControlApi.PREFIX) || path.startsWith(ControlApi.PREFIX + "/");
    }

    /** Serves one request; called on the connection's event loop, answers from the API thread. */
    public void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.rawPath();
        HttpVersion version = request.protocolVersion();
        if (limiter != null) {
            String client = ctx.channel().remoteAddress() instanceof InetSocketAddress a
                    ? a.getAddress().getHostAddress() : "unknown";
            RateLimiter.Decision decision = limiter.tryAcquire(client);
            if (!decision.allowed()) {
                ApiException e = new ApiException(429, "rate-limited", "the control API allows "
                        + limiter.config().rate() + " requests per " + limiter.config().per().toSeconds()
                        + " s (burst " + limiter.config().burst() + "); retry in " + decision.retryAfterSeconds() + " s");
                write(ctx, version, ApiRouter.problem(e, path, Map.of("Retry-After",
                        Long.toString(decision.retryAfterSeconds()))), Codec.JSON, false);
                return;
            }
        }
        if (token != null && !authorized(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            ApiException e = new ApiException(401, "unauthorized", request.headers().contains(HttpHeaderNames.AUTHORIZATION)
                    ? "the bearer token is not the admin token"
                    : "this API needs Authorization: Bearer <admin.token>");
            write(ctx, version, ApiRouter.problem(e, path, Map.of("WWW-Authenticate", "Bearer realm=\"sluice-admin\"")),
                    Codec.JSON, false);
            return;
        }
        HttpHeaders headers = request.headers();
        String method = request.method().name();
        String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        String contentEncoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
        String accept = headers.get(HttpHeaderNames.ACCEPT);
        boolean gzipOk = acceptsGzip(headers.getAll(HttpHeaderNames.ACCEPT_ENCODING));
        byte[] body = ByteBufUtil.getBytes(request.content());
        try {
            api.executor().execute(() -> write(ctx, version,
                    execute(method, path, contentType, contentEncoding, accept, gzipOk, body)));
        } catch (RejectedExecutionException e) {
            write(ctx, version, ApiRouter.problem(new ApiException(503, "unavailable", "the gateway is shutting down"),
                    path, Map.of()), Codec.JSON, false);
        }
    }

    /**
     * One call from its raw parts to the encoded answer, on the calling thread: what the API thread does for every
     * HTTP request once the rate limit and the token let it through (benchmarks call it directly).
     *
     * @param path the raw path, without query
     */
    public Encoded execute(String method, String path, String contentType, String contentEncoding, String accept,
                           boolean gzipOk, byte[] body) {
        Codec out = Codec.JSON;
        ApiResponse response;
        try {
            out = Codec.forAccept(accept);
            JsonNode tree = body.length == 0 ? null
                    : Codec.forContentType(contentType).readTree(decode(body, contentEncoding));
            response = api.dispatch(new ApiRequest(method, path, tree));
        } catch (ApiException e) {
            response = ApiRouter.problem(e, path, Map.of());
        }
        return encode(response, out, gzipOk);
    }

    /**
     * An answer ready for the wire.
     *
     * @param contentType null when there is no body
     * @param gzipped     whether {@code body} is gzip-coded
     */
    public record Encoded(int status, String contentType, boolean gzipped, byte[] body, Map<String, String> headers) {}

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    static boolean acceptsGzip(List<String> acceptEncoding) {
        for (String value : acceptEncoding) {
            for (String part : value.split(",")) {
                String[] p = part.split(";");
                if (p[0].strip().equalsIgnoreCase("gzip") || p[0].strip().equals("*")) {
                    boolean zero = p.length > 1 && p[1].strip().replace(" ", "").matches("[qQ]=0(\\.0*)?");
                    if (!zero) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The body with its content coding undone: identity or gzip (bounded to the body limit), else 415. */
    static byte[] decode(byte[] body, String contentEncoding) {
        if (contentEncoding == null || contentEncoding.isBlank()
                || contentEncoding.strip().equalsIgnoreCase("identity")) {
            return body;
        }
        String coding = contentEncoding.strip().toLowerCase(Locale.ROOT);
        if (!coding.equals("gzip") && !coding.equals("x-gzip")) {
            throw new ApiException(415, "unsupported-media-type", "Content-Encoding " + contentEncoding.strip()
                    + " is not supported (supported: gzip, identity)", List.of(), List.of("gzip", "identity"));
        }
        try {
            return Gzip.decompress(body, ControlApi.MAX_BODY_BYTES);
        } catch (Gzip.TooLarge e) {
            throw new ApiException(413, "payload-too-large", "the gzipped body inflates to more than "
                    + ControlApi.MAX_BODY_BYTES + " bytes (the limit)");
        } catch (ZipException | java.io.EOFException e) {
            throw ApiException.badRequest("the body is not valid gzip: " + e.getMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("cannot inflate the gzip body: " + e.getMessage());
        }
    }

    static Encoded encode(ApiResponse response, Codec codec, boolean gzipOk) {
        byte[] bytes;
        String contentType;
        if (response.body() == null) {
            bytes = new byte[0];
            contentType = null;
        } else if (response.isProblem()) {
            bytes = Codec.JSON.write(response.body());
            contentType = Problem.MEDIA_TYPE;
        } else {
            bytes = codec.write(response.body());
            contentType = codec.mediaType();
        }
        boolean gzipped = gzipOk && bytes.length >= ControlApi.GZIP_THRESHOLD;
        if (gzipped) {
            bytes = Gzip.compress(bytes);
        }
        return new Encoded(response.status(), contentType, gzipped, bytes, response.headers());
    }

    static void write(ChannelHandlerContext ctx, HttpVersion version, ApiResponse response, Codec codec,
                      boolean gzipOk) {
        write(ctx, version, encode(response, codec, gzipOk));
    }

    static void write(ChannelHandlerContext ctx, HttpVersion version, Encoded answer) {
        byte[] bytes = answer.body();
        FullHttpResponse http = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(answer.status()),
                Unpooled.wrappedBuffer(bytes));
        HttpHeaders h = http.headers();
        if (answer.contentType() != null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        }
        if (answer.gzipped()) {
            h.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        }
        h.set(HttpHeaderNames.VARY, "Accept, Accept-Encoding");
        h.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        answer.headers().forEach(h::set);
        HttpUtil.setContentLength(http, bytes.length);
        ctx.writeAndFlush(http).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }
}
