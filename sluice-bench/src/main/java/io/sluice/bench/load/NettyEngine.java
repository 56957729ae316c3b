package io.sluice.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * {@code --threads} event loops (native epoll when available), each owning its connections, lanes and one
 * {@link Probe}; a per-loop tick every 50 ms abandons requests older than {@code --timeout}.
 */
final class NettyEngine implements Engine {

    private static final long TICK_MILLIS = 50;

    private final LoadOptions options;
    private final RequestTemplate template;
    private final EventLoopGroup group;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Probe> probes = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private final Bootstrap bootstrap;
    private final SslContext ssl;

    NettyEngine(LoadOptions o, RequestTemplate template) {
        this.options = o;
        this.template = template;
        boolean epoll = Epoll.isAvailable() && !"nio".equalsIgnoreCase(System.getProperty("sluice.transport"));
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(o.threads(), new DefaultThreadFactory("sluice-bench", true), io);
        for (Iterator<?> it = group.iterator(); it.hasNext(); ) {
            loops.add((EventLoop) it.next());
            probes.add(new Probe());
        }
        Class<? extends Channel> channel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(channel)
                .remoteAddress(new InetSocketAddress(o.url().getHost(), o.port()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, o.timeout().toMillis()));
        this.ssl = o.tls() ? sslContext(o) : null;
    }

    private static SslContext sslContext(LoadOptions o) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            o.http2() ? ApplicationProtocolNames.HTTP_2 : ApplicationProtocolNames.HTTP_1_1));
            if (o.insecure()) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
            }
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("TLS client context: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Probe> probes() {
        return probes;
    }

    @Override
    public void start(RunControl run) {
        double rate = options.rate();
        int lanes = options.lanes();
        long interval = rate > 0 ? Math.max(1, Math.round(lanes * 1e9 / rate)) : 0;
        long stagger = rate > 0 ? Math.round(1e9 / rate) : 0;
        List<List<Lane>> perLoop = new ArrayList<>();
        loops.forEach(l -> perLoop.add(new ArrayList<>()));
        int laneIndex = 0;
        for (int c = 0; c < options.connections(); c++) {
            int w = c % loops.size();
            EventLoop loop = loops.get(w);
            Probe probe = probes.get(w);
            Connection conn = options.http2()
                    ? new Http2Connection(bootstrap, loop, probe, run, options, template, ssl)
                    : new Http1Connection(bootstrap, loop, probe, run, options, template, ssl);
            connections.add(conn);
            for (int s = 0; s < options.streams(); s++) {
                perLoop.get(w).add(new Lane(conn, run, probe, interval, run.startNanos() + stagger * laneIndex++));
            }
        }
        long timeoutNanos = options.timeout().toNanos();
        for (int w = 0; w < loops.size(); w++) {
            List<Lane> mine = perLoop.get(w);
            EventLoop loop = loops.get(w);
            loop.execute(() -> mine.forEach(Lane::start));
            loop.scheduleAtFixedRate(() -> {
                long now = System.nanoTime();
                for (Lane lane : mine) {
                    if (lane.overdue(now, timeoutNanos)) {
                        lane.connection().timeout(lane);
                    }
                }
            }, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < connections.size(); i++) {
            Connection c = connections.get(i);
            c.loop().execute(c::close);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
