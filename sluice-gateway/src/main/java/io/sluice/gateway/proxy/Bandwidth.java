package io.sluice.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.sluice.core.config.BandwidthConfig;
import io.sluice.core.limit.BandwidthThrottle;
import java.time.Clock;

/**
 * A route's bandwidth throttles, one per direction ({@code upload}: client to backend, {@code download}: backend
 * to client), each under the process-wide one of its direction. Per client connection there are two more below
 * them when {@code per_connection} is set. Exchanges debit message-body bytes as they pass and pause the reading
 * side while a throttle asks for a wait (see {@link io.sluice.core.limit.netty.ReadPacer}).
 */
public final class Bandwidth {

    private static final AttributeKey<Connection> CONNECTION = AttributeKey.valueOf(Bandwidth.class, "bandwidth");

    private final BandwidthConfig config;
    private final BandwidthThrottle upload;
    private final BandwidthThrottle download;

    private Bandwidth(BandwidthConfig config, Global global, Clock clock) {
        this.config = config;
        this.upload = BandwidthThrottle.route(config, clock, global.upload());
        this.download = BandwidthThrottle.route(config, clock, global.download());
    }

    /** The route's throttles, or null when neither the route nor the process limits bandwidth (no cost at all). */
    static Bandwidth forRoute(BandwidthConfig config, Global global) {
        if (!config.limitsRoute() && global.upload() == null) {
            return null;
        }
        return new Bandwidth(config, global, Clock.systemUTC());
    }

    /**
     * The throttles a client connection's exchanges on this route debit: per-connection ones under the route's
     * when {@code per_connection} is set, else the route's own. Kept on the connection's channel (an HTTP/2
     * connection's, for all of its streams), replaced when the connection moves to another route.
     */
    Connection forConnection(Channel channel) {
        if (config.perConnection() == 0) {
            return new Connection(this, upload, download);
        }
        // An HTTP/2 stream's parent is its connection; a socket's parent would be the listening socket.
        Channel connection = channel instanceof Http2StreamChannel ? channel.parent() : channel;
        Attribute<Connection> attr = connection.attr(CONNECTION);
        Connection current = attr.get();
        if (current == null || current.route != this) {
            current = new Connection(this, BandwidthThrottle.connection(config, upload),
                    BandwidthThrottle.connection(config, download));
            attr.set(current);
        }
        return current;
    }

    /** What one connection's exchanges debit, per direction. */
    record Connection(Bandwidth route, BandwidthThrottle upload, BandwidthThrottle download) {}

    /** The process-wide throttles ({@code bandwidth.global}), or nulls when it is unlimited. */
    public record Global(BandwidthThrottle upload, BandwidthThrottle download) {

        public static final Global NONE = new Global(null, null);

        /** One throttle per direction at {@code bandwidth.global}, shared by every route. */
        public static Global of(BandwidthConfig config) {
            return config.global() == 0 ? NONE
                    : new Global(BandwidthThrottle.global(config), BandwidthThrottle.global(config));
        }
    }
}
