package io.sluice.bench.load;

import java.util.List;

/** Drives the lanes of one run. */
interface Engine extends AutoCloseable {

    /** One per writing thread; the collector reads them. */
    List<Probe> probes();

    /** Starts every lane; returns at once. */
    void start(RunControl run);

    @Override
    void close();

    static Engine of(LoadOptions o, RequestTemplate template) {
        return switch (o.engine()) {
            case NETTY -> new NettyEngine(o, template);
            case VIRTUAL_THREADS -> new VirtualThreadEngine(o, template);
        };
    }
}
