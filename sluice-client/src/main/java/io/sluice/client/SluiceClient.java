package io.sluice.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslContext;
import io.sluice.client.internal.BatchWire;
import io.sluice.client.internal.Codec;
import io.sluice.client.model.Backend;
import io.sluice.client.model.BackendSpec;
import io.sluice.client.model.Job;
import io.sluice.client.model.JobSpec;
import io.sluice.client.model.ReloadResult;
import io.sluice.client.model.Route;
import io.sluice.client.model.Stats;
import io.sluice.client.model.VersionInfo;
import io.sluice.client.transport.Http2Mode;
import io.sluice.client.transport.NettyTransport;
import io.sluice.client.transport.Protocol;
import io.sluice.client.transport.Request;
import io.sluice.client.transport.Response;
import io.sluice.client.transport.TransportException;
import io.sluice.client.transport.TransportOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Java SDK of Sluice's control API (docs/api/openapi.yaml, docs/CLIENT.md). Every operation has a synchronous
 * method, which throws {@link SluiceApiException} (with the problem details) or {@link SluiceTransportException},
 * and an {@code …Async} twin whose future fails with the same exceptions. Thread-safe; share one per gateway and
 * {@link #close()} it when done.
 *
 * <pre>{@code
 * try (SluiceClient client = SluiceClient.builder().baseUri("http://127.0.0.1:9901").format(Format.MSGPACK).build()) {
 *     client.setWeight("api", "10.0.0.7:8080", 50);
 * }
 * }</pre>
 */
public final class SluiceClient implements AutoCloseable {

    /** The most operations one /batch request may hold (the server answers 413 beyond). */
    public static final int MAX_BATCH = 1000;

    private final NettyTransport transport;
    private final Retrier retrier;
    private final Codec codec = new Codec();
    private final Format format;
    private final Map<String, String> headers;
    /** {@link #headers} and the Content-Type of {@link #format}: every request with a body sends these. */
    private final Map<String, String> bodyHeaders;
    private final AutoBatcher autoBatcher;
    private final CompletableFuture<Void> warmedUp;

    private SluiceClient(Builder b) {
        this.transport = new NettyTransport(b.transportOptions());
        this.retrier = new Retrier(transport, b.retry);
        this.format = b.format;
        Map<String, String> h = new HashMap<>();
        h.put("accept", format.mediaType() + ", application/problem+json");
        h.put("user-agent", "sluice-client/1");
        if (b.token != null) {
            h.put("authorization", "Bearer " + b.token);
        }
        this.headers = Map.copyOf(h);
        h.put("content-type", format.mediaType());
        this.bodyHeaders = Map.copyOf(h);
        this.autoBatcher = b.autoBatchItems > 0 ? new AutoBatcher(this, b.autoBatchItems, b.autoBatchDelay) : null;
        this.warmedUp = transport.prewarm(b.prewarm).exceptionally(err -> null);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- routes and backends ----

    public List<Route> routes() {
        return await(routesAsync());
    }

    public CompletableFuture<List<Route>> routesAsync() {
        return executeAsync(Calls.routes());
    }

    public Route route(String route) {
        return await(routeAsync(route));
    }

    public CompletableFuture<Route> routeAsync(String route) {
        return executeAsync(Calls.route(route));
    }

    public List<Backend> backends(String route) {
        return await(backendsAsync(route));
    }

    public CompletableFuture<List<Backend>> backendsAsync(String route) {
        return executeAsync(Calls.backends(route));
    }

    public Backend backend(String route, String address) {
        return await(backendAsync(route, address));
    }

    public CompletableFuture<Backend> backendAsync(String route, String address) {
        return executeAsync(Calls.backend(route, address));
    }

    public Backend addBackend(String route, BackendSpec spec) {
        return await(addBackendAsync(route, spec));
    }

    public CompletableFuture<Backend> addBackendAsync(String route, BackendSpec spec) {
        return executeAsync(Calls.addBackend(route, spec));
    }

    public Backend setWeight(String route, String address, int weight) {
        return await(setWeightAsync(route, address, weight));
    }

    public CompletableFuture<Backend> setWeightAsync(String route, String address, int weight) {
        return executeAsync(Calls.setWeight(route, address, weight));
    }

    public Backend drain(String route, String address) {
        return await(drainAsync(route, address));
    }

    public CompletableFuture<Backend> drainAsync(String route, String address) {
        return executeAsync(Calls.drain(route, address));
    }

    public Backend enable(String route, String address) {
        return await(enableAsync(route, address));
    }

    public CompletableFuture<Backend> enableAsync(String route, String address) {
        return executeAsync(Calls.enable(route, address));
    }

    public Backend removeBackend(String route, String address) {
        return await(removeBackendAsync(route, address));
    }

    public CompletableFuture<Backend> removeBackendAsync(String route, String address) {
        return executeAsync(Calls.removeBackend(route, address));
    }

    // ---- stats, reload ----

    public Stats stats() {
        return await(statsAsync());
    }

    public CompletableFuture<Stats> statsAsync() {
        return executeAsync(Calls.stats());
    }

    public ReloadResult reloadConfig() {
        return await(reloadConfigAsync());
    }

    public CompletableFuture<ReloadResult> reloadConfigAsync() {
        return executeAsync(Calls.reloadConfig());
    }

    // ---- jobs ----

    public List<Job> jobs() {
        return await(jobsAsync());
    }

    public CompletableFuture<List<Job>> jobsAsync() {
        return executeAsync(Calls.jobs());
    }

    public Job job(String id) {
        return await(jobAsync(id));
    }

    public CompletableFuture<Job> jobAsync(String id) {
        return executeAsync(Calls.job(id));
    }

    public Job createJob(JobSpec spec) {
        return await(createJobAsync(spec));
    }

    public CompletableFuture<Job> createJobAsync(JobSpec spec) {
        return executeAsync(Calls.createJob(spec));
    }

    public Job cancelJob(String id) {
        return await(cancelJobAsync(id));
    }

    public CompletableFuture<Job> cancelJobAsync(String id) {
        return executeAsync(Calls.cancelJob(id));
    }

    // ---- /version ----

    public VersionInfo version() {
        return await(versionAsync());
    }

    public CompletableFuture<VersionInfo> versionAsync() {
        Call<VersionInfo> call = new Call<>("GET", "/version", null, VersionInfo.class, VersionInfo.class::cast, true);
        return send(call);
    }

    // ---- generic, batches ----

    /** Runs one call (through automatic batching when it is on). */
    public <T> T execute(Call<T> call) {
        return await(executeAsync(call));
    }

    public <T> CompletableFuture<T> executeAsync(Call<T> call) {
        return autoBatcher != null ? autoBatcher.submit(call) : send(call);
    }

    /** A new batch: add calls, then {@link Batch#execute()} sends them as one POST /api/v1/batch. */
    public Batch newBatch() {
        return new Batch(this);
    }

    /** The protocol requests travel over (negotiating it if not known yet). */
    public Protocol protocol() {
        return await(transport.protocol());
    }

    /** Completes when the connections opened on build are up (or failed to come up). */
    public CompletableFuture<Void> warmedUp() {
        return warmedUp;
    }

    /** The transport, for diagnostics (open connections...). */
    public NettyTransport transport() {
        return transport;
    }

    @Override
    public void close() {
        if (autoBatcher != null) {
            autoBatcher.flush();
        }
        transport.close();
    }

    // ---- plumbing ----

    private <T> CompletableFuture<T> send(Call<T> call) {
        Request request;
        try {
            request = request(call.method(), call.path(), call.body(), call.idempotent());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        retrier.send(request).whenComplete((response, err) -> {
            try {
                if (err != null) {
                    result.completeExceptionally(transportFailure(err));
                } else if (response.status() >= 300) {
                    result.completeExceptionally(new SluiceApiException(problem(response, call.path())));
                } else if (call.wireType() == null || response.body().length == 0) {
                    result.complete(call.unwrap(null));
                } else {
                    result.complete(call.unwrap(codec.decode(response.body(), response.header("content-type"), call.wireType())));
                }
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(new SluiceTransportException("cannot decode the answer to " + call + ": "
                        + e.getMessage(), e));
            }
        });
        return result;
    }

    private Request request(String method, String path, Object body, boolean idempotent) {
        if (body == null) {
            return new Request(method, path, headers, null, idempotent);
        }
        return new Request(method, path, bodyHeaders, codec.encode(body, format), idempotent);
    }

    /** Sends {@code calls} (at most {@link #MAX_BATCH}) as one /batch request and completes their futures in order. */
    void sendBatch(List<Call<?>> calls, List<CompletableFuture<?>> futures) {
        boolean idempotent = true;
        for (Call<?> c : calls) {
            idempotent &= c.idempotent();
        }
        Request request;
        try {
            byte[] body = codec.encode(g -> BatchWire.writeRequest(g, calls), format);
            request = new Request("POST", Calls.API + "/batch", bodyHeaders, body, idempotent);
        } catch (RuntimeException e) {
            futures.forEach(f -> f.completeExceptionally(e));
            return;
        }
        retrier.send(request).whenComplete((response, err) -> {
            RuntimeException whole = null;
            List<BatchAnswer.Outcome> results = null;
            if (err != null) {
                whole = transportFailure(err);
            } else if (response.status() >= 300) {
                whole = new SluiceApiException(problem(response, request.path()));
            } else {
                try {
                    results = BatchAnswer.read(codec, codec.mapperFor(response.header("content-type")), response.body(),
                            calls);
                    if (results.size() != calls.size()) {
                        whole = new SluiceTransportException("batch answered " + results.size()
                                + " results for " + calls.size() + " operations", null);
                    }
                } catch (IOException e) {
                    whole = new SluiceTransportException("cannot decode the batch answer: " + e.getMessage(), e);
                }
            }
            for (int i = 0; i < calls.size(); i++) {
                if (whole != null) {
                    futures.get(i).completeExceptionally(whole);
                } else {
                    complete(calls.get(i), futures.get(i), results.get(i));
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    private <T> void complete(Call<T> call, CompletableFuture<?> future, BatchAnswer.Outcome result) {
        CompletableFuture<T> f = (CompletableFuture<T>) future;
        try {
            Object decoded = result.body();
            if (result.status() >= 300) {
                JsonNode body = (JsonNode) decoded;
                Problem p = body != null && body.isObject() ? codec.convert(body, Problem.class) : null;
                f.completeExceptionally(new SluiceApiException(p != null && p.title() != null ? p
                        : synthetic(result.status(), body == null ? "" : body.toString(), call.path())));
            } else if (call.wireType() == null || decoded == null
                    || decoded instanceof JsonNode n && (n.isNull() || n.isMissingNode())) {
                f.complete(call.unwrap(null));
            } else if (decoded instanceof JsonNode tree) { // the body came before its status
                f.complete(call.unwrap(codec.convert(tree, call.wireType())));
            } else {
                f.complete(call.unwrap(decoded));
            }
        } catch (IOException | RuntimeException e) {
            f.completeExceptionally(new SluiceTransportException("cannot decode the batch result of " + call + ": "
                    + e.getMessage(), e));
        }
    }

    private Problem problem(Response response, String path) {
        String type = response.header("content-type");
        if (type != null && type.contains("json") && response.body().length > 0) {
            try {
                Problem p = codec.decode(response.body(), "application/json", Problem.class);
                if (p.title() != null || p.detail() != null) {
                    return p.status() == 0
                            ? new Problem(p.type(), p.title(), response.status(), p.detail(), p.instance(), p.errors(), p.allowed())
                            : p;
                }
            } catch (IOException notAProblem) {
                // fall through to a synthetic problem
            }
        }
        return synthetic(response.status(), new String(response.body(), StandardCharsets.UTF_8), path);
    }

    private static Problem synthetic(int status, String body, String path) {
        String detail = body.length() > 500 ? body.substring(0, 500) + "…" : body.strip();
        return new Problem("about:blank", HttpResponseStatus.valueOf(status).reasonPhrase(), status, detail, path,
                null, null);
    }

    private static SluiceException transportFailure(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof SluiceException se) {
            return se;
        }
        if (cause instanceof TransportException te) {
            return new SluiceTransportException(te.getMessage(), te);
        }
        return new SluiceTransportException(String.valueOf(cause), cause);
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SluiceException se) {
                throw se;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** Builds a {@link SluiceClient}; every setting has seed 002's default. */
    public static final class Builder {

        private URI baseUri = URI.create("http://127.0.0.1:9901");
        private Format format = Format.JSON;
        private String token;
        private Http2Mode http2 = Http2Mode.AUTO;
        private int maxIdle = 100;
        private int maxPerHost = 30;
        private int maxPending = 10_000;
        private Duration idleTimeout = Duration.ofSeconds(90);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxResponseBytes = 16 << 20;
        private int gzipThreshold = 1024;
        private int prewarm = 1;
        private int ioThreads = 1;
        private SslContext sslContext;
        private RetryPolicy retry = RetryPolicy.defaults();
        private int autoBatchItems;
        private Duration autoBatchDelay = Duration.ZERO;

        private Builder() {}

        /** The admin listener, {@code http://127.0.0.1:9901} by default ({@code https://} for TLS). */
        public Builder baseUri(String uri) {
            return baseUri(URI.create(uri));
        }

        public Builder baseUri(URI uri) {
            this.baseUri = Objects.requireNonNull(uri);
            return this;
        }

        /** JSON (default) or MessagePack bodies, in both directions. */
        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format);
            return this;
        }

        /** The admin token, sent as {@code Authorization: Bearer}. */
        public Builder token(String token) {
            this.token = token == null || token.isBlank() ? null : token;
            return this;
        }

        public Builder http2(Http2Mode mode) {
            this.http2 = Objects.requireNonNull(mode);
            return this;
        }

        /** Idle connections kept at most (100). */
        public Builder maxIdle(int maxIdle) {
            this.maxIdle = maxIdle;
            return this;
        }

        /** Connections to the host at once (30); further requests queue. */
        public Builder maxPerHost(int maxPerHost) {
            this.maxPerHost = maxPerHost;
            return this;
        }

        /** Requests allowed to queue for a connection (10000) before failing at once. */
        public Builder maxPending(int maxPending) {
            this.maxPending = maxPending;
            return this;
        }

        /** An idle connection is closed after this (90 s). */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** From sending a request to its complete answer (30 s), per attempt. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder maxResponseBytes(int maxResponseBytes) {
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /** Request bodies of at least this many bytes are gzipped (1024); 0 never. */
        public Builder gzipThreshold(int bytes) {
            this.gzipThreshold = bytes;
            return this;
        }

        /** Connections opened in the background on build (1); 0 for none. */
        public Builder prewarm(int connections) {
            this.prewarm = connections;
            return this;
        }

        public Builder ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        /** TLS context for https (default: JDK trust store, ALPN h2 + http/1.1). */
        public Builder sslContext(SslContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry);
            return this;
        }

        /**
         * Automatic batching: calls are collected until {@code maxItems} are waiting or {@code maxDelay} has passed
         * since the first, then sent as one /batch request. {@code maxItems} 1..1000; 0 turns it off (default).
         */
        public Builder autoBatching(int maxItems, Duration maxDelay) {
            if (maxItems < 0 || maxItems > MAX_BATCH) {
                throw new IllegalArgumentException("autoBatching maxItems: must be 0..1000, got " + maxItems);
            }
            if (maxDelay.isNegative()) {
                throw new IllegalArgumentException("autoBatching maxDelay: must not be negative, got " + maxDelay);
            }
            this.autoBatchItems = maxItems;
            this.autoBatchDelay = maxDelay;
            return this;
        }

        TransportOptions transportOptions() {
            return new TransportOptions(baseUri, http2, maxIdle, maxPerHost, maxPending, idleTimeout, connectTimeout,
                    requestTimeout, maxResponseBytes, gzipThreshold, prewarm, ioThreads, sslContext);
        }

        public SluiceClient build() {
            return new SluiceClient(this);
        }
    }
}
