package io.sluice.gateway.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * Netty's server-side {@link Http2FrameCodec}, with one rule made as strict as RFC 9113 asks.
 *
 * <p>A HEADERS frame on a stream that is already closed (it ended normally, or the client skipped
 * its id by opening a higher one) must be a <em>connection</em> error (RFC 9113 5.1, 5.1.1). Netty
 * forgets closed streams and, not knowing whether it reset the stream itself, answers with a mere
 * RST_STREAM. This codec remembers the streams it reset recently; HEADERS on any other forgotten
 * client stream ends the connection with GOAWAY STREAM_CLOSED. A client that sends HEADERS on a
 * stream that Sluice reset (a race the RFC tolerates) still only gets RST_STREAM.
 *
 * <p>Likewise HEADERS on a stream the client already ended (half-closed remote) is a stream error
 * of type STREAM_CLOSED (RFC 9113 5.1), where Netty says PROTOCOL_ERROR.
 *
 * <p>Both rules recognise Netty's errors by their messages; {@code Http2ConformanceTest} (h2spec
 * 5.1 and 5.1.1) fails if a Netty upgrade changes them.
 */
final class StrictHttp2FrameCodec extends Http2FrameCodec {

    /** How many reset stream ids are remembered; beyond that the oldest is forgotten. */
    private static final int RESET_STREAMS_REMEMBERED = 1024;
    /** Netty's message for a HEADERS frame on a stream it no longer knows (DefaultHttp2ConnectionDecoder). */
    private static final String HEADERS_ON_UNKNOWN_STREAM = "Received HEADERS frame for an unknown stream";

    /** Netty's message for HEADERS beyond the initial ones and trailers (DefaultHttp2ConnectionDecoder). */
    private static final String TOO_MANY_HEADERS = "received too many headers";

    private final LinkedHashSet<Integer> recentlyReset = new LinkedHashSet<>();

    private StrictHttp2FrameCodec(Http2ConnectionEncoder encoder, Http2ConnectionDecoder decoder,
                                  Http2Settings initialSettings, boolean decoupleCloseAndGoAway, boolean flushPreface) {
        super(encoder, decoder, initialSettings, decoupleCloseAndGoAway, flushPreface);
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (stream.isResetSent() && recentlyReset.add(stream.id())
                        && recentlyReset.size() > RESET_STREAMS_REMEMBERED) {
                    Iterator<Integer> oldest = recentlyReset.iterator();
                    oldest.next();
                    oldest.remove();
                }
            }
        });
    }

    static Builder forServer() {
        return new Builder();
    }

    @Override
    public void onError(ChannelHandlerContext ctx, boolean outbound, Throwable cause) {
        Http2Exception embedded = Http2CodecUtil.getEmbeddedHttp2Exception(cause);
        if (!outbound && embedded instanceof Http2Exception.StreamException stream) {
            if (isHeadersOnClosedStream(stream)) {
                super.onError(ctx, false, Http2Exception.connectionError(Http2Error.STREAM_CLOSED, cause,
                        "HEADERS frame on closed stream %d", stream.streamId()));
                return;
            }
            if (isHeadersOnHalfClosedStream(stream)) {
                super.onError(ctx, false, Http2Exception.streamError(stream.streamId(), Http2Error.STREAM_CLOSED,
                        cause, "HEADERS frame on half-closed (remote) stream %d", stream.streamId()));
                return;
            }
        }
        super.onError(ctx, outbound, cause);
    }

    private boolean isHeadersOnClosedStream(Http2Exception.StreamException e) {
        int id = e.streamId();
        return e.error() == Http2Error.STREAM_CLOSED
                && connection().stream(id) == null
                && connection().remote().isValidStreamId(id)
                && e.getMessage() != null && e.getMessage().startsWith(HEADERS_ON_UNKNOWN_STREAM)
                && !recentlyReset.contains(id);
    }

    /** Netty calls a second HEADERS after END_STREAM "too many headers" (PROTOCOL_ERROR); RFC 9113 5.1 says STREAM_CLOSED. */
    private boolean isHeadersOnHalfClosedStream(Http2Exception.StreamException e) {
        Http2Stream stream = connection().stream(e.streamId());
        return e.error() == Http2Error.PROTOCOL_ERROR
                && stream != null
                && (stream.state() == Http2Stream.State.HALF_CLOSED_REMOTE || stream.state() == Http2Stream.State.CLOSED)
                && e.getMessage() != null && e.getMessage().contains(TOO_MANY_HEADERS);
    }

    /** {@link Http2FrameCodecBuilder} with all its settings and protections, building this codec. */
    static final class Builder extends Http2FrameCodecBuilder {
        private Builder() {
            server(true);
        }

        @Override
        protected Http2FrameCodec build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                                        Http2Settings initialSettings) {
            StrictHttp2FrameCodec codec = new StrictHttp2FrameCodec(encoder, decoder, initialSettings,
                    decoupleCloseAndGoAway(), flushPreface());
            codec.gracefulShutdownTimeoutMillis(gracefulShutdownTimeoutMillis());
            return codec;
        }
    }
}
