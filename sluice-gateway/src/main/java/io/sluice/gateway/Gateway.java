package io.sluice.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sluice.core.balance.Backend;
import io.sluice.core.balance.BalancingStrategy;
import io.sluice.core.config.BackendConfig;
import io.sluice.core.config.ListenerConfig;
import io.sluice.core.config.RouteConfig;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.config.TcpListenerConfig;
import io.sluice.core.health.BackendAvailability;
import io.sluice.core.health.HealthChecker;
import io.sluice.core.health.OutlierDetector;
import io.sluice.gateway.l4.TcpForwarder;
import io.sluice.core.metrics.MicrometerPoolMetrics;
import io.sluice.core.pool.UpstreamPool;
import io.sluice.gateway.admin.AdminServer;
import io.sluice.gateway.admin.BuildInfo;
import io.sluice.gateway.admin.Readiness;
import io.sluice.gateway.metrics.GatewayMetrics;
import io.sluice.gateway.proxy.Bandwidth;
import io.sluice.gateway.proxy.HeaderRewriter;
import io.sluice.gateway.proxy.ProxyContext;
import io.sluice.gateway.proxy.Route;
import io.sluice.gateway.proxy.RouteTable;
import io.sluice.gateway.server.DownstreamInitializer;
import io.sluice.gateway.transport.Transport;
import io.sluice.gateway.upstream.HttpCodecLimits;
import io.sluice.gateway.upstream.HttpConnectionFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Sluice gateway: event loops, listeners, backend pools, the admin listener.
 *
 * <p>{@link #start} builds everything from one immutable {@link SluiceConfig} and returns once
 * every listener accepts. {@link #close} drains: it stops accepting, turns {@code /readyz} to 503,
 * lets in-flight requests finish for up to {@code drain_timeout}, then closes everything.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final SluiceConfig config;
    private final Transport transport;
    private final EventLoopGroup workers;
    private final GatewayMetrics metrics;
    private final Readiness readiness;
    private final ProxyContext proxy;
    private final Map<String, UpstreamPool> pools;
    private final ChannelGroup connections = new DefaultChannelGroup("sluice-downstream", GlobalEventExecutor.INSTANCE);
    private final Map<String, Channel> listeners = new LinkedHashMap<>();
    private final Map<String, TcpForwarder> tcpListeners = new LinkedHashMap<>();
    private final HealthChecker healthChecker;
    private AdminServer admin;
    private volatile boolean closed;

    private Gateway(SluiceConfig config) {
        this.config = config;
        this.transport = Transport.best();
        this.workers = transport.newEventLoopGroup(config.server().effectiveWorkers(), "sluice-worker");
        this.metrics = new GatewayMetrics();
        this.readiness = Readiness.forConfig(config);
        this.pools = new LinkedHashMap<>();
        List<Route> routes = new ArrayList<>();
        Bandwidth.Global bandwidth = Bandwidth.Global.of(config.bandwidth());
        for (RouteConfig route : config.routes()) {
            List<Backend> backends = new ArrayList<>();
            for (BackendConfig backend : route.backends()) {
                Backend live = new Backend(backend, pools.computeIfAbsent(backend.address(), a -> newPool(backend)));
                live.slowStart(route.balancer().slowStart());
                backends.add(live);
            }
            routes.add(new Route(route, backends, BalancingStrategy.named(route.algorithm(),
                    route.balancer().hashKey(), route.balancer().ewmaDecay(), BalancingStrategy.THREAD_LOCAL_RANDOM),
                    bandwidth));
        }
        this.healthChecker = startHealth(routes);
        this.proxy = new ProxyContext(new RouteTable(routes), new HeaderRewriter(config.proxy()), config.timeouts(),
                config.connectionSettings(), new MetricsEvents(metrics, config.accessLog().enabled()),
                config.server().maxConcurrentStreams(), config.server().maxQueue(), config.server().queueTimeout());
        metrics.bindQueueDepth(proxy::queuedRequests);
    }

    /** Active checks per backend address, passive detection per route; both feed {@link RouteHealth}. */
    private HealthChecker startHealth(List<Route> routes) {
        RouteHealth onChange = new RouteHealth(routes, pools);
        HealthChecker checker = HealthChecker.builder()
                .workers(config.healthChecks().workers())
                .eventLoops(workers, transport.socketChannel())
                .meterRegistry(metrics.registry())
                .build();
        checker.addListener(onChange);
        for (Route route : routes) {
            List<String> addresses = route.backends().stream().map(Backend::address).toList();
            OutlierDetector outliers = route.config().outlierDetection()
                    .map(o -> OutlierDetector.builder(route.name(), o, addresses).meterRegistry(metrics.registry()).build())
                    .orElse(OutlierDetector.disabled());
            outliers.addListener(onChange);
            route.health(BackendAvailability.forRoute(route.config(), checker, outliers), outliers);
        }
        Map<String, Route> byName = new LinkedHashMap<>();
        routes.forEach(r -> byName.put(r.name(), r));
        readiness.setBackendUsability((route, backend) -> {
            Route live = byName.get(route.name());
            return live == null || live.usable(backend.address());
        });
        checker.watchAll(config.routes());
        return checker;
    }

    /** Starts a gateway; returns when every listener (and the admin listener) accepts connections. */
    public static Gateway start(SluiceConfig config) throws IOException {
        Gateway gateway = new Gateway(config);
        try {
            gateway.bindAll();
        } catch (IOException | RuntimeException e) {
            gateway.closeNow();
            throw e;
        }
        return gateway;
    }

    private UpstreamPool newPool(BackendConfig backend) {
        HttpConnectionFactory factory = new HttpConnectionFactory(transport, backend, config.timeouts(),
                config.connectionSettings(), limits());
        return UpstreamPool.builder(backend.address(), factory)
                .config(config.connectionPool())
                .maxConnections(backend.maxConnections())
                .eventLoops(workers)
                .metrics(MicrometerPoolMetrics.factory(metrics.registry()))
                .build();
    }

    private HttpCodecLimits limits() {
        return HttpCodecLimits.defaults(config.server().bufferSize());
    }

    private void bindAll() throws IOException {
        if (config.admin().enabled()) {
            admin = AdminServer.start(config.admin(), transport, workers, readiness, BuildInfo.load(), metrics.registry());
        }
        for (TcpListenerConfig tcp : config.tcp()) {
            readiness.expectListener(tcp.name());
            TcpForwarder forwarder = TcpForwarder.start(tcp, transport, workers, config.timeouts().connect(),
                    metrics.registry());
            tcpListeners.put(tcp.name(), forwarder);
            readiness.listenerBound(tcp.name());
            log.info("tcp listener {} on {}:{} -> {} backend(s)", tcp.name(), forwarder.localAddress().getHostString(),
                    forwarder.localAddress().getPort(), tcp.backends().size());
        }
        for (ListenerConfig listener : config.server().listeners()) {
            listeners.put(listener.name(), bind(listener));
            readiness.listenerBound(listener.name());
            InetSocketAddress bound = localAddress(listener.name());
            log.info("listener {} on {}://{}:{} ({}, {} event loops)", listener.name(),
                    listener.protocol().name().toLowerCase(), bound.getHostString(), bound.getPort(), transport,
                    config.server().effectiveWorkers());
        }
    }

    private Channel bind(ListenerConfig listener) throws IOException {
        SslContext tls = DownstreamInitializer.tlsFor(listener);
        var settings = config.connectionSettings();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, config.server().backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, settings.tcpNodelay())
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(
                        Math.min(512, config.server().bufferSize()), config.server().bufferSize(),
                        config.server().maxBufferSize()))
                .childHandler(new DownstreamInitializer(listener, tls, proxy, proxy.events(), connections, limits(),
                        settings.keepAliveTimeout(), config.server().drainTimeout(), config.compression()));
        if (transport.supportsQuickAck() && settings.tcpQuickack()) {
            bootstrap.childOption(EpollChannelOption.TCP_QUICKACK, true);
        }
        ChannelFuture bound = bootstrap.bind(listener.host(), listener.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot bind listener " + listener.name() + " to " + listener.host() + ":"
                    + listener.port() + ": " + bound.cause().getMessage(), bound.cause());
        }
        return bound.channel();
    }

    public SluiceConfig config() {
        return config;
    }

    /** The bound address of a listener (its real port when the config said 0). */
    public InetSocketAddress localAddress(String listener) {
        Channel channel = listeners.get(listener);
        if (channel == null && tcpListeners.containsKey(listener)) {
            return tcpListeners.get(listener).localAddress();
        }
        if (channel == null) {
            throw new IllegalArgumentException("no listener named " + listener + " (have " + listeners.keySet() + ")");
        }
        return (InetSocketAddress) channel.localAddress();
    }

    public int port(String listener) {
        return localAddress(listener).getPort();
    }

    /** The admin listener's port, or -1 when it is disabled. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public Readiness readiness() {
        return readiness;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public ProxyContext proxy() {
        return proxy;
    }

    public Map<String, UpstreamPool> pools() {
        return Map.copyOf(pools);
    }

    /** Drains and stops: see the class comment. Blocks for at most {@code drain_timeout} plus a little. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Duration timeout = config.server().drainTimeout();
        log.info("draining: {} request(s) in flight, waiting up to {}", proxy.activeExchanges(), timeout);
        readiness.startDraining();
        proxy.startDraining();
        for (Channel listener : listeners.values()) {
            listener.close().awaitUninterruptibly();
        }
        tcpListeners.values().forEach(TcpForwarder::close);
        for (Channel connection : connections) {
            connection.pipeline().fireUserEventTriggered(ProxyContext.Drain.INSTANCE);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (proxy.activeExchanges() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (proxy.activeExchanges() > 0) {
            log.warn("drain timeout: closing {} request(s) still in flight", proxy.activeExchanges());
        }
        closeNow();
    }

    private void closeNow() {
        closed = true;
        for (Channel listener : listeners.values()) {
            listener.close();
        }
        tcpListeners.values().forEach(TcpForwarder::close);
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        healthChecker.close();
        pools.values().forEach(UpstreamPool::close);
        if (admin != null) {
            admin.close();
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        metrics.close();
    }
}
