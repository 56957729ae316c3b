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
import io.sluice.core.config.ListenerConfig;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.config.TcpListenerConfig;
import io.sluice.core.config.BackendConfig;
import io.sluice.core.config.UdpListenerConfig;
import io.sluice.core.health.OutlierDetector;
import io.sluice.gateway.l4.BackendGroup;
import io.sluice.gateway.l4.TcpForwarder;
import io.sluice.gateway.l4.UdpForwarder;
import io.sluice.core.pool.UpstreamPool;
import io.sluice.gateway.admin.AdminServer;
import io.sluice.gateway.admin.BuildInfo;
import io.sluice.gateway.admin.Readiness;
import io.sluice.core.config.ConfigException;
import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.api.ApiEndpoint;
import io.sluice.gateway.api.ControlApi;
import io.sluice.gateway.control.LiveRoutes;
import io.sluice.gateway.control.ReloadResult;
import io.sluice.gateway.jobs.JobManager;
import io.sluice.gateway.metrics.GatewayMetrics;
import io.sluice.gateway.proxy.Bandwidth;
import io.sluice.gateway.proxy.HeaderRewriter;
import io.sluice.gateway.proxy.ProxyContext;
import io.sluice.gateway.server.DownstreamInitializer;
import io.sluice.gateway.transport.Transport;
import io.sluice.gateway.tunnel.TunnelClient;
import io.sluice.gateway.tunnel.TunnelMetrics;
import io.sluice.gateway.tunnel.TunnelServer;
import io.sluice.core.config.TunnelConfig;
import io.sluice.gateway.upstream.HttpCodecLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
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

    private final SluiceConfig startConfig;
    private final Transport transport;
    private final EventLoopGroup workers;
    private final GatewayMetrics metrics;
    private final Readiness readiness;
    private final ProxyContext proxy;
    private final LiveRoutes live;
    private final ChannelGroup connections = new DefaultChannelGroup("sluice-downstream", GlobalEventExecutor.INSTANCE);
    private final Map<String, Channel> listeners = new LinkedHashMap<>();
    private final Map<String, TcpForwarder> tcpListeners = new LinkedHashMap<>();
    private final Map<String, UdpForwarder> udpListeners = new LinkedHashMap<>();
    private final Map<String, BackendGroup> l4Groups = new LinkedHashMap<>();
    private final Path configFile; // null: started from a config object, nothing to reload
    private AdminServer admin;
    private JobManager jobs;
    private ControlApi api;
    private TunnelServer tunnelServer;
    private TunnelClient tunnelClient;
    /** {@code tunnel.packet_workers}: the tunnel's own event loops, apart from the HTTP workers. */
    private EventLoopGroup tunnelLoops;
    private TunnelMetrics tunnelMetrics;
    private volatile boolean closed;

    private Gateway(SluiceConfig config, Path configFile) {
        this.startConfig = config;
        this.configFile = configFile;
        this.transport = Transport.best();
        this.workers = transport.newEventLoopGroup(startConfig.server().effectiveWorkers(), "sluice-worker");
        this.metrics = new GatewayMetrics();
        this.readiness = Readiness.forConfig(config);
        this.live = new LiveRoutes(config, transport, workers, metrics, readiness);
        this.proxy = new ProxyContext(live.table(), new HeaderRewriter(startConfig.proxy()), startConfig.timeouts(),
                startConfig.connectionSettings(), new MetricsEvents(metrics, startConfig.accessLog().enabled()),
                startConfig.server().maxConcurrentStreams(), startConfig.server().maxQueue(),
                startConfig.server().queueTimeout());
        metrics.bindQueueDepth(proxy::queuedRequests);
        live.attach(proxy);
        startL4Health();
    }

    /**
     * Each L4 listener's backend group follows the shared checker (its own {@code health_checks}, tcp connects by
     * default) and its own outlier detector; {@code /readyz} is not ready while a group has no usable backend.
     */
    private void startL4Health() {
        for (TcpListenerConfig tcp : startConfig.tcp()) {
            List<String> addresses = tcp.backends().stream().map(BackendConfig::address).toList();
            OutlierDetector outliers = tcp.outlierDetection()
                    .map(o -> OutlierDetector.builder(tcp.name(), o, addresses).meterRegistry(metrics.registry()).build())
                    .orElse(OutlierDetector.disabled());
            BackendGroup group = new BackendGroup(tcp.name(), tcp.backends(), tcp.algorithm(), live.healthChecker(), outliers);
            live.healthChecker().addListener(group);
            tcp.backends().forEach(b -> live.healthChecker().watch(b, tcp.healthChecks()));
            readiness.require("tcp listener " + tcp.name() + " has no usable backend", group::hasUsableBackend);
            l4Groups.put(tcp.name(), group);
        }
    }

    /** Starts a gateway; returns when every listener (and the admin listener) accepts connections. */
    public static Gateway start(SluiceConfig config) throws IOException {
        return start(config, null);
    }

    /**
     * Starts a gateway loaded from {@code configFile}, which {@link #reload()} (SIGHUP, {@code POST
     * /api/v1/config/reload}) reads again.
     */
    public static Gateway start(SluiceConfig config, Path configFile) throws IOException {
        Gateway gateway = new Gateway(config, configFile);
        try {
            gateway.bindAll();
        } catch (IOException | RuntimeException e) {
            gateway.closeNow();
            throw e;
        }
        return gateway;
    }

    private HttpCodecLimits limits() {
        return HttpCodecLimits.defaults(startConfig.server().bufferSize());
    }

    private void bindAll() throws IOException {
        if (startConfig.admin().enabled()) {
            jobs = new JobManager(startConfig.admin().stateDir(), startConfig.admin().jobWorkers(),
                    startConfig.admin().jobBandwidth()).start();
            api = new ControlApi(live, metrics.registry(), jobs, this::reload);
            admin = AdminServer.start(startConfig.admin(), transport, workers, readiness, BuildInfo.load(),
                    metrics.registry(), new ApiEndpoint(api, startConfig.admin()));
        }
        for (TcpListenerConfig tcp : startConfig.tcp()) {
            readiness.expectListener(tcp.name());
            TcpForwarder forwarder = TcpForwarder.start(tcp, l4Groups.get(tcp.name()), transport, workers,
                    startConfig.timeouts().connect(),
                    metrics.registry());
            tcpListeners.put(tcp.name(), forwarder);
            readiness.listenerBound(tcp.name());
            log.info("tcp listener {} on {}:{} -> {} backend(s)", tcp.name(), forwarder.localAddress().getHostString(),
                    forwarder.localAddress().getPort(), tcp.backends().size());
        }
        for (UdpListenerConfig udp : startConfig.udp()) {
            readiness.expectListener(udp.name());
            UdpForwarder forwarder = UdpForwarder.start(udp,
                    BackendGroup.unchecked(udp.name(), udp.backends(), udp.algorithm()), transport, workers,
                    metrics.registry());
            udpListeners.put(udp.name(), forwarder);
            readiness.listenerBound(udp.name());
            log.info("udp listener {} on {}:{} -> {} backend(s)", udp.name(), forwarder.localAddress().getHostString(),
                    forwarder.localAddress().getPort(), udp.backends().size());
        }
        if (startConfig.tunnel().isPresent()) {
            startTunnel(startConfig.tunnel().get());
        }
        for (ListenerConfig listener : startConfig.server().listeners()) {
            listeners.put(listener.name(), bind(listener));
            readiness.listenerBound(listener.name());
            InetSocketAddress bound = localAddress(listener.name());
            log.info("listener {} on {}://{}:{} ({}, {} event loops)", listener.name(),
                    listener.protocol().name().toLowerCase(), bound.getHostString(), bound.getPort(), transport,
                    startConfig.server().effectiveWorkers());
        }
    }

    /** The tunnel's server or client role (issue 9); a client is ready only while a tunnel connection is up. */
    private void startTunnel(TunnelConfig tunnel) throws IOException {
        boolean server = tunnel.role() == TunnelConfig.Role.SERVER;
        tunnelMetrics = new TunnelMetrics(metrics.registry(), server ? "server" : "client");
        tunnelLoops = transport.newEventLoopGroup(tunnel.effectivePacketWorkers(), "sluice-tunnel");
        log.info("tunnel: {} packet worker(s), profile {}", tunnel.effectivePacketWorkers(), tunnel.profile().name());
        if (server) {
            readiness.expectListener(TUNNEL_SERVER_LISTENER);
            tunnelServer = TunnelServer.start(tunnel, transport, tunnelLoops, tunnelMetrics);
            readiness.listenerBound(TUNNEL_SERVER_LISTENER);
            log.info("tunnel server on {}:{}, {} allow pattern(s)", tunnelServer.localAddress().getHostString(),
                    tunnelServer.localAddress().getPort(), tunnel.allow().size());
            return;
        }
        tunnel.listeners().forEach(l -> readiness.expectListener(l.name()));
        tunnelClient = TunnelClient.start(tunnel, transport, tunnelLoops, tunnelMetrics);
        tunnel.listeners().forEach(l -> readiness.listenerBound(l.name()));
        TunnelClient client = tunnelClient;
        readiness.require("no tunnel connection up", client::connected);
    }

    /** The name {@link #localAddress} knows a tunnel server's TLS listener by. */
    public static final String TUNNEL_SERVER_LISTENER = "tunnel";

    /** How many event loops the tunnel runs on ({@code tunnel.packet_workers}); 0 without a {@code tunnel:} block. */
    public int tunnelEventLoops() {
        int n = 0;
        if (tunnelLoops != null) {
            for (var ignored : tunnelLoops) {
                n++;
            }
        }
        return n;
    }

    /** The tunnel's figures, or null without a {@code tunnel:} block. */
    public TunnelMetrics tunnelMetrics() {
        return tunnelMetrics;
    }

    private Channel bind(ListenerConfig listener) throws IOException {
        SslContext tls = DownstreamInitializer.tlsFor(listener);
        var settings = startConfig.connectionSettings();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, startConfig.server().backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, settings.tcpNodelay())
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(
                        Math.min(512, startConfig.server().bufferSize()), startConfig.server().bufferSize(),
                        startConfig.server().maxBufferSize()))
                .childHandler(new DownstreamInitializer(listener, tls, proxy, proxy.events(), connections, limits(),
                        settings.keepAliveTimeout(), startConfig.server().drainTimeout(), startConfig.compression()));
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

    /** The configuration in force: the one started with, routes as changed at runtime or by reloads. */
    public SluiceConfig config() {
        return live.config();
    }

    /** The routes and backends, and every runtime change to them. */
    public LiveRoutes routes() {
        return live;
    }

    /** The bound address of a listener (its real port when the config said 0). */
    public InetSocketAddress localAddress(String listener) {
        Channel channel = listeners.get(listener);
        if (channel == null && tcpListeners.containsKey(listener)) {
            return tcpListeners.get(listener).localAddress();
        }
        if (channel == null && udpListeners.containsKey(listener)) {
            return udpListeners.get(listener).localAddress();
        }
        if (channel == null && tunnelServer != null && listener.equals(TUNNEL_SERVER_LISTENER)) {
            return tunnelServer.localAddress();
        }
        if (channel == null && tunnelClient != null && tunnelClient.listenerNames().contains(listener)) {
            return tunnelClient.localAddress(listener);
        }
        if (channel == null) {
            throw new IllegalArgumentException("no listener named " + listener + " (have " + listeners.keySet() + ")");
        }
        return (InetSocketAddress) channel.localAddress();
    }

    public int port(String listener) {
        return localAddress(listener).getPort();
    }

    /**
     * Reads the configuration file again and applies its routes, backends and limits at once, without dropping a
     * connection; sections that need a restart are listed in the result and keep their running values.
     *
     * @throws ConfigException       the file is invalid: the running configuration is kept
     * @throws IllegalStateException the gateway was not started from a file
     */
    public synchronized ReloadResult reload() throws ConfigException {
        if (configFile == null) {
            throw new IllegalStateException("the gateway was started without a configuration file: nothing to reload");
        }
        if (closed) {
            throw new IllegalStateException("the gateway is shutting down");
        }
        SluiceConfig next = ConfigLoader.load(configFile);
        return live.reload(next).withFile(configFile.toString());
    }

    /** Transfer jobs, or null when the admin listener is disabled. */
    public JobManager jobs() {
        return jobs;
    }

    /** The control API, or null when the admin listener is disabled. */
    public ControlApi api() {
        return api;
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
        return live.pools();
    }

    /** Drains and stops: see the class comment. Blocks for at most {@code drain_timeout} plus a little. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Duration timeout = startConfig.server().drainTimeout();
        log.info("draining: {} request(s) in flight, waiting up to {}", proxy.activeExchanges(), timeout);
        readiness.startDraining();
        proxy.startDraining();
        for (Channel listener : listeners.values()) {
            listener.close().awaitUninterruptibly();
        }
        tcpListeners.values().forEach(TcpForwarder::close);
        udpListeners.values().forEach(UdpForwarder::close);
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
        udpListeners.values().forEach(UdpForwarder::close);
        if (tunnelClient != null) {
            tunnelClient.close();
        }
        if (tunnelServer != null) {
            tunnelServer.close();
        }
        if (tunnelLoops != null) {
            tunnelLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (admin != null) {
            admin.close();
        }
        if (api != null) {
            api.close();
        }
        if (jobs != null) {
            jobs.close();
        }
        live.close();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        metrics.close();
    }
}
