package io.sluice.gateway.tunnel;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.sluice.core.config.TunnelConfig;
import java.util.Locale;

/**
 * Netty's {@link Http2FrameCodec} with the tunnel's settings, counting every inbound frame it rejects by HTTP/2
 * error ({@code frame_size_error} for a frame above {@code max_frame}, {@code protocol_error}, ...), seed 004's
 * {@code rejected_total{reason}}.
 *
 * <p>Both ends advertise SETTINGS_MAX_FRAME_SIZE = {@code max_frame}: a larger frame is a connection error
 * (RFC 9113 4.2) that Netty detects from the frame header, before reading (or buffering) its payload.
 */
final class TunnelFrameCodec extends Http2FrameCodec {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TunnelFrameCodec.class);

    private final TunnelMetrics metrics;

    private TunnelFrameCodec(Http2ConnectionEncoder encoder, Http2ConnectionDecoder decoder, Http2Settings settings,
                             TunnelMetrics metrics) {
        super(encoder, decoder, settings, false, true);
        this.metrics = metrics;
    }

    static Http2FrameCodec create(boolean server, TunnelConfig.Limits limits, TunnelMetrics metrics) {
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxFrameSize(limits.maxFrame())
                .initialWindowSize(limits.streamWindow())
                .maxHeaderListSize(16 * 1024);
        if (server) {
            // RFC 8441 3: the server says it accepts extended CONNECT; clients must see this before using it.
            settings.connectProtocolEnabled(true);
            // Per connection; the cap across all connections is enforced per stream (TunnelServer).
            settings.maxConcurrentStreams(limits.maxConcurrentStreams());
        } else {
            settings.pushEnabled(false);
        }
        // Netty's rapid-reset guards (at most 200 RST_STREAM received, and 200 provoked, per 30 s) are sized for
        // browsers. A tunnel peer is authenticated and legitimately resets a stream for every aborted TCP
        // connection, possibly thousands at once; 200 would let one burst of aborts kill every other stream.
        int maxResets = Math.max(1000, 2 * limits.maxConcurrentStreams());
        return new Builder(metrics, server)
                .decoderEnforceMaxRstFramesPerWindow(maxResets, 30)
                .encoderEnforceMaxRstFramesPerWindow(maxResets, 30)
                .initialSettings(settings)
                .validateHeaders(true)
                .gracefulShutdownTimeoutMillis(1000)
                .build();
    }

    @Override
    public void onError(ChannelHandlerContext ctx, boolean outbound, Throwable cause) {
        Http2Exception e = Http2CodecUtil.getEmbeddedHttp2Exception(cause);
        if (!outbound && e instanceof Http2Exception.StreamException late && late.error() == Http2Error.STREAM_CLOSED
                && connection().stream(late.streamId()) == null) {
            // DATA or WINDOW_UPDATE still in flight for a stream this side already reset and forgot: Netty would
            // answer each such frame with another RST_STREAM (and count it against the reset limit). The peer
            // already has our RST; the frame's bytes were already returned to the connection window.
            metrics.rejected("stream_closed");
            return;
        }
        if (!outbound && e != null) {
            metrics.rejected(e.error().name().toLowerCase(Locale.ROOT));
        }
        if (e != null && !(e instanceof Http2Exception.StreamException)) {
            log.warn("tunnel: HTTP/2 connection error ({}) with {}: {}", outbound ? "sending" : "received",
                    ctx.channel().remoteAddress(), e.toString());
        }
        super.onError(ctx, outbound, cause);
    }

    private static final class Builder extends Http2FrameCodecBuilder {
        private final TunnelMetrics metrics;

        Builder(TunnelMetrics metrics, boolean server) {
            this.metrics = metrics;
            server(server);
        }

        @Override
        protected Http2FrameCodec build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                                        Http2Settings initialSettings) {
            TunnelFrameCodec codec = new TunnelFrameCodec(encoder, decoder, initialSettings, metrics);
            codec.gracefulShutdownTimeoutMillis(gracefulShutdownTimeoutMillis());
            return codec;
        }
    }
}
