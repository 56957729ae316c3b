package io.sluice.gateway.tunnel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.sluice.core.config.TargetPattern;
import io.sluice.core.config.TunnelConfig;
import io.sluice.gateway.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every server stream: reads the extended CONNECT and decides, in this order, whether it is
 * well formed (400; {@code connect-tcp} or {@code connect-udp}), authenticated by a client certificate or a bearer token (407), aimed at an allowed target
 * (403) and within {@code max_concurrent_streams} (503); then dials the target (502 if unreachable), answers 200 and
 * hands the stream to a {@link Splice} (TCP) or a {@link DatagramStream} (UDP). Every refusal is counted and logged: the tunnel is never an open proxy.
 */
final class ServerStream extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ServerStream.class);

    /** What every stream of a server is checked against. */
    record Policy(TunnelConfig config, List<TargetPattern> allow, TargetDialer dialer, Transport transport,
                  TunnelMetrics metrics) {
        Policy {
            allow = List.copyOf(allow);
        }

        boolean tokenAccepted(CharSequence authorization) {
            if (authorization == null) {
                return false;
            }
            String value = authorization.toString();
            if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return false;
            }
            byte[] offered = value.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            boolean ok = false;
            for (String token : config.tokens()) {
                // Constant time per candidate: a timing difference must not reveal a token's prefix.
                ok |= MessageDigest.isEqual(offered, token.getBytes(StandardCharsets.UTF_8));
            }
            return ok;
        }

        boolean allowed(String host, int port) {
            for (TargetPattern p : allow) {
                if (p.matches(host, port)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Policy policy;
    private final Channel connection;
    private boolean seen;

    ServerStream(Policy policy, Channel connection) {
        this.policy = policy;
        this.connection = connection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (seen || !(msg instanceof Http2HeadersFrame headers)) {
            // Only the request head is read before the stream is joined; anything else here is a protocol slip.
            ReferenceCountUtil.release(msg);
            return;
        }
        seen = true;
        handle(ctx, headers.headers());
    }

    private void handle(ChannelHandlerContext ctx, Http2Headers h) {
        CharSequence protocol = nonNull(ExtendedConnect.protocol(h));
        boolean udp = ExtendedConnect.PROTOCOL_UDP.contentEquals(protocol);
        if (!"CONNECT".contentEquals(nonNull(h.method()))
                || !udp && !ExtendedConnect.PROTOCOL.contentEquals(protocol)) {
            refuse(ctx, TunnelMetrics.Refusal.BAD_REQUEST, 400, "http_request_error",
                    "expected an extended CONNECT with :protocol " + ExtendedConnect.PROTOCOL + " or "
                            + ExtendedConnect.PROTOCOL_UDP);
            return;
        }
        CharSequence where = udp ? h.path() : h.authority();
        Optional<String[]> target = udp ? ExtendedConnect.udpTarget(where)
                : TargetPattern.splitHostPort(where == null ? null : where.toString());
        int port = target.map(t -> port(t[1])).orElse(-1);
        if (port < 1) {
            refuse(ctx, TunnelMetrics.Refusal.BAD_REQUEST, 400, "http_request_error", udp
                    ? ":path must be /.well-known/masque/udp/{host}/{port}/, got " + where
                    : ":authority must be host:port, got " + where);
            return;
        }
        String host = target.get()[0];
        String authority = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        boolean certified = Boolean.TRUE.equals(connection.attr(TunnelServer.CERTIFIED).get());
        if (!certified && !policy.tokenAccepted(h.get("authorization"))) {
            refuse(ctx, TunnelMetrics.Refusal.UNAUTHENTICATED, 407, "proxy_authentication_required",
                    "no accepted client certificate or bearer token");
            return;
        }
        if (!policy.allowed(host, port)) {
            refuse(ctx, TunnelMetrics.Refusal.FORBIDDEN, 403, "destination_ip_prohibited",
                    "target " + authority + " is not in tunnel.allow");
            return;
        }
        TunnelMetrics metrics = policy.metrics();
        if (!metrics.tryOpen(policy.config().limits().maxConcurrentStreams())) {
            answerRefusal(ctx, 503, "connection_limit_reached",
                    "tunnel.max_concurrent_streams (" + policy.config().limits().maxConcurrentStreams() + ") reached");
            log.debug("tunnel: refused stream to {} from {}: stream cap reached", authority,
                    connection.remoteAddress());
            return;
        }
        Channel stream = ctx.channel();
        stream.closeFuture().addListener(f -> metrics.closed());
        if (udp) {
            openUdp(ctx, host, port, authority);
        } else {
            openTcp(ctx, host, port, authority, policy.config().compression().zstd() && ExtendedConnect.zstd(h));
        }
    }

    private void openTcp(ChannelHandlerContext ctx, String host, int port, String authority, boolean zstd) {
        TunnelMetrics metrics = policy.metrics();
        Channel stream = ctx.channel();
        Future<Channel> dial = policy.dialer().dial(stream.eventLoop(), host, port);
        dial.addListener(f -> {
            if (!f.isSuccess()) {
                metrics.refused(TunnelMetrics.Refusal.TARGET_UNREACHABLE);
                answerRefusal(ctx, 502, "destination_unavailable", "cannot connect to " + authority + ": "
                        + f.cause().getMessage());
                return;
            }
            Channel tcp = dial.getNow();
            if (!stream.isActive()) {
                tcp.close();
                return;
            }
            tcp.closeFuture().addListener(c -> stream.close());
            metrics.opened();
            ctx.writeAndFlush(ExtendedConnect.ok(zstd));
            if (zstd) {
                metrics.zstdStream();
                ctx.pipeline().addLast("zstd", new ZstdStreamCodec(policy.config().compression().level(),
                        policy.config().limits().chunkBytes(), metrics, false));
            }
            ctx.pipeline().remove(this);
            Splice.join(tcp, stream, metrics, false);
        });
    }

    /** CONNECT-UDP (RFC 9298): a UDP socket connected to the target, joined to the stream by capsules. */
    private void openUdp(ChannelHandlerContext ctx, String host, int port, String authority) {
        TunnelMetrics metrics = policy.metrics();
        Channel stream = ctx.channel();
        UdpTarget target = UdpTarget.connect(stream, policy.transport(), host, port);
        target.connected().addListener(f -> {
            Channel socket = target.connected().channel();
            if (!f.isSuccess()) {
                socket.close();
                metrics.refused(TunnelMetrics.Refusal.TARGET_UNREACHABLE);
                answerRefusal(ctx, 502, "destination_unavailable", "cannot open a UDP socket to " + authority + ": "
                        + f.cause().getMessage());
                return;
            }
            if (!stream.isActive()) {
                socket.close();
                return;
            }
            metrics.opened();
            metrics.udpSessionOpened();
            stream.closeFuture().addListener(c -> metrics.udpSessionClosed());
            ctx.writeAndFlush(ExtendedConnect.okUdp());
            ctx.pipeline().remove(this);
            target.join(policy.config(), metrics);
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A stream error (reset by the client while the target was being dialled, ...): this stream only.
        log.debug("tunnel: stream from {} failed before it was joined: {}", connection.remoteAddress(),
                cause.toString());
        ctx.close();
    }

    private void refuse(ChannelHandlerContext ctx, TunnelMetrics.Refusal reason, int status, String error,
                        String details) {
        policy.metrics().refused(reason);
        log.warn("tunnel: refused stream from {} ({}): {}", connection.remoteAddress(), status, details);
        answerRefusal(ctx, status, error, details);
    }

    private static void answerRefusal(ChannelHandlerContext ctx, int status, String error, String details) {
        ctx.writeAndFlush(ExtendedConnect.refusal(status, error, details)).addListener(ChannelFutureListener.CLOSE);
    }

    private static CharSequence nonNull(CharSequence s) {
        return s == null ? "" : s;
    }

    private static int port(String text) {
        try {
            int p = Integer.parseInt(text);
            return p >= 1 && p <= 65535 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
