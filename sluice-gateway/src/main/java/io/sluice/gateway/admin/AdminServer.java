package io.sluice.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sluice.core.config.AdminConfig;
import io.sluice.gateway.api.ApiEndpoint;
import io.sluice.gateway.api.ControlApi;
import io.sluice.gateway.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener (seed 004): a small HTTP/1.1 and h2c server for operators and orchestrators.
 *
 * <ul>
 *   <li>{@code GET /healthz}: 200 {@code ok} while the process is alive;
 *   <li>{@code GET /readyz}: 200 {@code ready}, or 503 with the {@link Readiness} reasons, one per line;
 *   <li>{@code GET /version}: the {@link BuildInfo} as JSON;
 *   <li>{@code GET /metrics}: Prometheus text exposition, or OpenMetrics when the scraper asks for it.
 * </ul>
 *
 * <p>HTTP/2 in cleartext is spoken to clients that open with its preface (prior knowledge) or ask for
 * {@code Upgrade: h2c}; each stream is served like an HTTP/1.1 request ({@link AdminPipelines}). HEAD is served
 * wherever GET is. Connections are kept alive; one idle for
 * {@value #IDLE_TIMEOUT_SECONDS} s is closed. The server runs on an event loop group the caller owns;
 * {@link #close()} closes the listening socket and every admin connection, never the group.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    /** Control API bodies are at most 1 MB (seed 000); anything bigger is refused with 413. */
    static final int MAX_REQUEST_BYTES = ControlApi.MAX_BODY_BYTES;

    static final int IDLE_TIMEOUT_SECONDS = 60;

    private final Channel serverChannel;
    private final ChannelGroup channels;
    private final EventLoopGroup group;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AdminServer(Channel serverChannel, ChannelGroup channels, EventLoopGroup group) {
        this.serverChannel = serverChannel;
        this.channels = channels;
        this.group = group;
    }

    /**
     * Binds the admin listener at {@code config.host():config.port()} and returns once it accepts.
     *
     * @param config    the {@code admin:} section; must be enabled (callers skip the admin listener otherwise)
     * @param transport the process's transport, which picks the server channel class
     * @param group     event loops to accept and serve on (the caller owns and shuts them down)
     * @param readiness the readiness source behind {@code /readyz}
     * @param buildInfo what {@code /version} reports
     * @param registry  what {@code /metrics} scrapes
     * @throws IllegalArgumentException if the admin listener is disabled
     * @throws IOException              if the address cannot be bound (e.g. the port is taken)
     */
    public static AdminServer start(
            AdminConfig config,
            Transport transport,
            EventLoopGroup group,
            Readiness readiness,
            BuildInfo buildInfo,
            PrometheusMeterRegistry registry)
            throws IOException {
        return start(config, transport, group, readiness, buildInfo, registry, null);
    }

    /**
     * As {@link #start(AdminConfig, Transport, EventLoopGroup, Readiness, BuildInfo, PrometheusMeterRegistry)}, also
     * serving the control API under {@code /api/v1} when {@code api} is not null.
     *
     * @throws IllegalArgumentException if the listener would bind beyond loopback without a token
     */
    public static AdminServer start(
            AdminConfig config,
            Transport transport,
            EventLoopGroup group,
            Readiness readiness,
            BuildInfo buildInfo,
            PrometheusMeterRegistry registry,
            ApiEndpoint api)
            throws IOException {
        Objects.requireNonNull(config, "config");
        if (api != null && config.token().isEmpty() && !AdminConfig.isLoopback(config.host())) {
            throw new IllegalArgumentException("admin.token: required when admin.host (" + config.host()
                    + ") is not a loopback address: refusing to serve the control API without a token");
        }
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(group, "group");
        if (!config.enabled()) {
            throw new IllegalArgumentException("the admin listener is disabled (admin.enabled: false)");
        }
        AdminHandler handler = new AdminHandler(readiness, versionJson(buildInfo), registry, api);
        ChannelGroup channels = new DefaultChannelGroup("sluice-admin", GlobalEventExecutor.INSTANCE);
        AdminPipelines pipelines = new AdminPipelines(handler, MAX_REQUEST_BYTES, IDLE_TIMEOUT_SECONDS);

        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        pipelines.init(ch);
                    }
                });

        ChannelFuture bind = bootstrap.bind(config.host(), config.port()).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new IOException(
                    "cannot bind the admin listener to " + config.host() + ":" + config.port() + ": "
                            + bind.cause().getMessage(),
                    bind.cause());
        }
        channels.add(bind.channel());
        AdminServer server = new AdminServer(bind.channel(), channels, group);
        log.info("admin listener on {}", server.localAddress());
        return server;
    }

    /** The bound address; its port is the real one when the config asked for port 0. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The bound port (the one the OS picked, when the config asked for 0). */
    public int port() {
        return localAddress().getPort();
    }

    /**
     * Stops accepting and closes every admin connection. Waits for the closes unless called from one of
     * the group's event loops (where waiting would deadlock). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        var closing = channels.close();
        for (EventExecutor executor : group) {
            if (executor.inEventLoop()) {
                return;
            }
        }
        closing.awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private static byte[] versionJson(BuildInfo info) {
        Objects.requireNonNull(info, "buildInfo");
        Map<String, String> body = new LinkedHashMap<>();
        body.put("version", info.version());
        body.put("commit", info.commit());
        body.put("commitFull", info.commitFull());
        body.put("buildTime", info.buildTime());
        body.put("java", info.java());
        try {
            return new ObjectMapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render /version", e);
        }
    }
}
