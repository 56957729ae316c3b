package io.sluice.gateway.files;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.sluice.core.limit.BandwidthThrottle;
import io.sluice.gateway.proxy.ErrorResponses;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Date;
import java.util.Locale;
import java.util.Map;

/**
 * Serves the files under one root directory.
 *
 * <p>Validators: a strong ETag built from size and modification time, and Last-Modified. Conditional requests
 * (If-None-Match, If-Modified-Since) get 304; Range gets 206 for one satisfiable range (several ranges get the whole
 * file, which RFC 9110 allows), 416 when unsatisfiable, and is ignored when If-Range does not match, so a client never
 * stitches two versions together. Bodies go by {@code sendfile} when the connection is cleartext HTTP/1.1, else in
 * fixed-size chunks: memory stays constant whatever the file size. Under a bandwidth limit the body goes in paced
 * pieces instead ({@link PacedBody}), successive file regions on cleartext HTTP/1.1.
 *
 * <p>Opening and stat-ing a file happen on the event loop, as nginx does without its thread pools: local file
 * metadata is fast; the bytes themselves never pass through a blocking read on the loop when sendfile is used.
 */
public final class StaticFiles {

    static final int CHUNK_SIZE = 64 * 1024;
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "application/javascript"), Map.entry("json", "application/json"),
            Map.entry("xml", "application/xml"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"), Map.entry("gz", "application/gzip"), Map.entry("zst", "application/zstd"),
            Map.entry("iso", "application/octet-stream"), Map.entry("img", "application/octet-stream"),
            Map.entry("qcow2", "application/octet-stream"), Map.entry("vmdk", "application/octet-stream"),
            Map.entry("ova", "application/x-virtualbox-ova"), Map.entry("tar", "application/x-tar"),
            Map.entry("zip", "application/zip"), Map.entry("pdf", "application/pdf"));

    private final Path root;
    private final String prefix;
    private final boolean zeroCopy;

    /**
     * @param root     directory served
     * @param prefix   the route's path prefix, stripped from request paths
     * @param zeroCopy allow sendfile (turned off only by tests of the chunked path)
     */
    public StaticFiles(Path root, String prefix, boolean zeroCopy) {
        this.root = root.toAbsolutePath().normalize();
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        this.zeroCopy = zeroCopy;
    }

    /**
     * The outcome of {@link #serve}: the status sent and the future of the last write; {@code paced} is the body
     * being sent under a bandwidth throttle, still in progress when {@code serve} returns, or null.
     */
    public record Served(int status, long bodyBytes, ChannelFuture lastWrite, PacedBody paced) {

        Served(int status, long bodyBytes, ChannelFuture lastWrite) {
            this(status, bodyBytes, lastWrite, null);
        }
    }

    /** {@link #serve(ChannelHandlerContext, HttpRequest, HttpVersion, boolean, boolean, BandwidthThrottle)} unthrottled. */
    public Served serve(ChannelHandlerContext ctx, HttpRequest request, HttpVersion clientVersion, boolean keepAlive,
                        boolean http2) {
        return serve(ctx, request, clientVersion, keepAlive, http2, null);
    }

    /**
     * Answers one request completely on {@code ctx}. The caller decides keep-alive through {@code keepAlive}
     * (applied to the response's Connection header for HTTP/1.x) and closes afterwards if it must. With a
     * {@code throttle} the body goes in {@link PacedBody paced pieces}; without, in one {@code sendfile} or a chunked
     * stream as fast as the client takes it.
     */
    public Served serve(ChannelHandlerContext ctx, HttpRequest request, HttpVersion clientVersion, boolean keepAlive,
                        boolean http2, BandwidthThrottle throttle) {
        HttpMethod method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            var response = ErrorResponses.plain(ctx.alloc(), HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method not allowed: static files answer GET and HEAD");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return local(ctx, response, clientVersion, keepAlive);
        }
        Path file = resolve(request.uri());
        if (file == null) {
            return local(ctx, ErrorResponses.plain(ctx.alloc(), HttpResponseStatus.FORBIDDEN,
                    "forbidden: path escapes the served directory"), clientVersion, keepAlive);
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isDirectory()) {
                file = file.resolve("index.html");
                attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            }
            if (!attributes.isRegularFile()) {
                throw new NoSuchFileException(file.toString());
            }
        } catch (IOException e) {
            return local(ctx, ErrorResponses.plain(ctx.alloc(), HttpResponseStatus.NOT_FOUND,
                    "not found: " + QueryStringDecoder.decodeComponent(new QueryStringDecoder(request.uri()).rawPath())),
                    clientVersion, keepAlive);
        }
        long size = attributes.size();
        long mtime = attributes.lastModifiedTime().toMillis();
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(mtime) + "\"";
        String lastModified = DateFormatter.format(new Date(mtime));

        HttpHeaders requestHeaders = request.headers();
        if (notModified(requestHeaders, etag, mtime)) {
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
            validators(response.headers(), etag, lastModified);
            return headOnly(ctx, response, clientVersion, keepAlive, HttpResponseStatus.NOT_MODIFIED.code());
        }
        ByteRange range = method.equals(HttpMethod.GET) && ifRangeMatches(requestHeaders, etag, lastModified)
                ? ByteRange.parse(requestHeaders.get(HttpHeaderNames.RANGE), size)
                : ByteRange.IGNORE;
        if (range == ByteRange.UNSATISFIABLE) {
            var response = ErrorResponses.plain(ctx.alloc(), HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                    "range not satisfiable: the file has " + size + " bytes");
            response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
            return local(ctx, response, clientVersion, keepAlive);
        }
        boolean partial = range != ByteRange.IGNORE;
        long start = partial ? range.start() : 0;
        long length = partial ? range.length() : size;
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                partial ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK);
        HttpHeaders headers = response.headers();
        validators(headers, etag, lastModified);
        headers.set(HttpHeaderNames.ACCEPT_RANGES, "bytes")
                .set(HttpHeaderNames.CONTENT_TYPE, contentType(file))
                .set(HttpHeaderNames.CONTENT_LENGTH, length);
        if (partial) {
            headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + start + "-" + range.endInclusive() + "/" + size);
        }
        int status = response.status().code();
        if (method.equals(HttpMethod.HEAD)) {
            return headOnly(ctx, response, clientVersion, keepAlive, status);
        }
        return body(ctx, response, file, start, length, clientVersion, keepAlive, http2, status, throttle);
    }

    private Served body(ChannelHandlerContext ctx, HttpResponse response, Path file, long start, long length,
                        HttpVersion clientVersion, boolean keepAlive, boolean http2, int status,
                        BandwidthThrottle throttle) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            return local(ctx, ErrorResponses.plain(ctx.alloc(), HttpResponseStatus.NOT_FOUND,
                    "not found: cannot open " + file.getFileName()), clientVersion, keepAlive);
        }
        io.netty.handler.codec.http.HttpUtil.setKeepAlive(response.headers(), clientVersion, keepAlive || http2);
        ctx.write(response, ctx.voidPromise());
        boolean sendfile = zeroCopy && !http2 && ctx.pipeline().get(SslHandler.class) == null;
        ChannelFuture last;
        if (throttle != null) {
            PacedBody paced = PacedBody.send(ctx, channel, start, length, throttle, sendfile);
            return new Served(status, length, paced.done(), paced);
        } else if (sendfile) {
            ctx.write(new DefaultFileRegion(channel, start, length), ctx.voidPromise());
            last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            try {
                // ChunkedWriteHandler queues every write it sees; it stays only while the file is being sent.
                ChunkedWriteHandler chunked = new ChunkedWriteHandler();
                ctx.pipeline().addBefore(ctx.name(), null, chunked);
                last = ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(channel, start, length, CHUNK_SIZE)));
                last.addListener(f -> {
                    if (ctx.pipeline().context(chunked) != null) {
                        ctx.pipeline().remove(chunked);
                    }
                });
            } catch (IOException e) {
                closeQuietly(channel);
                ctx.close();
                return new Served(status, 0, ctx.newSucceededFuture());
            }
        }
        return new Served(status, length, last);
    }

    private static Served headOnly(ChannelHandlerContext ctx, HttpResponse response, HttpVersion clientVersion,
                                   boolean keepAlive, int status) {
        io.netty.handler.codec.http.HttpUtil.setKeepAlive(response.headers(), clientVersion, keepAlive);
        ctx.write(response, ctx.voidPromise());
        return new Served(status, 0, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }

    private static Served local(ChannelHandlerContext ctx, io.netty.handler.codec.http.FullHttpResponse response,
                                HttpVersion clientVersion, boolean keepAlive) {
        io.netty.handler.codec.http.HttpUtil.setKeepAlive(response.headers(), clientVersion, keepAlive);
        int status = response.status().code();
        return new Served(status, response.content().readableBytes(), ctx.writeAndFlush(response));
    }

    /** The file for a request target, or null when the path would leave the root. */
    Path resolve(String uri) {
        String path = new QueryStringDecoder(uri).path();
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            return null;
        }
        if (path.startsWith(prefix)) {
            path = path.substring(prefix.length());
        }
        Path resolved = root;
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                return null;
            }
            resolved = resolved.resolve(segment);
        }
        resolved = resolved.normalize();
        return resolved.startsWith(root) ? resolved : null;
    }

    private static boolean notModified(HttpHeaders headers, String etag, long mtime) {
        String ifNoneMatch = headers.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            // Weak comparison, as RFC 9110 §13.1.2 asks for If-None-Match.
            for (String candidate : ifNoneMatch.split(",")) {
                String c = candidate.trim();
                if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                    return true;
                }
            }
            return false;
        }
        String since = headers.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (since != null) {
            Date date = DateFormatter.parseHttpDate(since);
            return date != null && mtime / 1000 <= date.getTime() / 1000;
        }
        return false;
    }

    /** If-Range: a strong ETag must match exactly (never a weak one), or a date must equal Last-Modified. */
    private static boolean ifRangeMatches(HttpHeaders headers, String etag, String lastModified) {
        String ifRange = headers.get(HttpHeaderNames.IF_RANGE);
        if (ifRange == null) {
            return true;
        }
        ifRange = ifRange.trim();
        if (ifRange.startsWith("\"")) {
            return ifRange.equals(etag);
        }
        if (ifRange.startsWith("W/")) {
            return false;
        }
        return ifRange.equals(lastModified);
    }

    private static void validators(HttpHeaders headers, String etag, String lastModified) {
        headers.set(HttpHeaderNames.ETAG, etag).set(HttpHeaderNames.LAST_MODIFIED, lastModified);
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type != null ? type : "application/octet-stream";
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
