package io.sluice.client.model;

import java.util.List;

/** {@code GET /api/v1/routes/{route}/backends}. */
public record BackendList(String route, List<Backend> backends) {

    public BackendList {
        backends = backends == null ? List.of() : List.copyOf(backends);
    }
}
