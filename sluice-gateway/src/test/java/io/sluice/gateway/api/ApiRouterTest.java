package io.sluice.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Path splitting and parameter matching of the control API's router. */
class ApiRouterTest {

    @Test
    void pathsSplitAsSplittingOnEverySlashWithoutTheFirstAndOneTrailingSlash() {
        for (String path : List.of("/", "//", "/a", "/a/", "/a//", "//a", "/api/v1/routes", "/api/v1/routes/",
                "/api/v1/routes/api/backends/127.0.0.1:8081", "/api/v1/routes/a%2Fb/backends/%5B%3A%3A1%5D:80/drain",
                "/a///b", "/x/y/z//")) {
            String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            assertThat(ApiRouter.split(path)).as(path).containsExactly(trimmed.substring(1).split("/", -1));
        }
    }

    @Test
    void parametersAreDecodedAndHandedOverByName() {
        AtomicReference<Map<String, String>> seen = new AtomicReference<>();
        ApiRouter router = new ApiRouter()
                .add("GET", "/r", (req, p) -> { seen.set(p); return ApiResponse.ok(null); })
                .add("GET", "/r/{route}", (req, p) -> { seen.set(p); return ApiResponse.ok(null); })
                .add("GET", "/r/{route}/b/{backend}", (req, p) -> { seen.set(p); return ApiResponse.ok(null); })
                .add("GET", "/t/{a}/{b}/{c}", (req, p) -> { seen.set(p); return ApiResponse.ok(null); });
        router.dispatch(new ApiRequest("GET", "/r", null));
        assertThat(seen.get()).isEmpty();
        router.dispatch(new ApiRequest("GET", "/r/api", null));
        assertThat(seen.get()).containsExactlyInAnyOrderEntriesOf(Map.of("route", "api"));
        router.dispatch(new ApiRequest("GET", "/r/a%2Fb/b/%5B%3A%3A1%5D:80/", null));
        assertThat(seen.get()).containsExactlyInAnyOrderEntriesOf(Map.of("route", "a/b", "backend", "[::1]:80"));
        router.dispatch(new ApiRequest("GET", "/t/1/2/3", null));
        assertThat(seen.get()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2", "c", "3"));
        assertThat(router.dispatch(new ApiRequest("GET", "/r/api/b", null)).status()).isEqualTo(404);
        assertThat(router.dispatch(new ApiRequest("POST", "/r/api", null)).status()).isEqualTo(405);
    }
}
