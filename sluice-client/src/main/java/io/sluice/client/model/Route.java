package io.sluice.client.model;

import java.util.List;

/** A route with its backends' live state ({@code GET /api/v1/routes/{route}}). */
public record Route(String name, String host, String pathPrefix, String algorithm, @com.fasterxml.jackson.annotation.JsonProperty("static") Boolean serveStatic,
                    Boolean panicRouting, Integer usableBackends, List<Backend> backends) {}
