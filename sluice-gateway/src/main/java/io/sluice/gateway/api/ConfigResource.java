package io.sluice.gateway.api;

import io.sluice.core.config.ConfigError;
import io.sluice.core.config.ConfigException;
import io.sluice.gateway.control.ReloadResult;
import java.util.List;

/** {@code POST /api/v1/config/reload}: what SIGHUP does, with the outcome in the answer. */
final class ConfigResource {

    private final ConfigReloader reloader;

    ConfigResource(ConfigReloader reloader) {
        this.reloader = reloader;
    }

    void register(ApiRouter router) {
        router.add("POST", "/api/v1/config/reload", (req, p) -> {
            try {
                ReloadResult r = reloader.reload();
                return ApiResponse.ok(new ReloadView(r.applied(), r.file(), r.changes(), r.restartRequired()));
            } catch (ConfigException e) {
                List<Problem.FieldError> errors = e.errors().stream()
                        .map(ConfigResource::fieldError).toList();
                String first = errors.isEmpty() ? "" : ": " + errors.get(0).field() + ": " + errors.get(0).message()
                        + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
                throw new ApiException(422, "validation", "the configuration file " + e.source() + " is invalid; "
                        + "the running configuration is kept" + first, errors, List.of());
            } catch (IllegalStateException e) {
                throw ApiException.conflict(e.getMessage());
            }
        });
    }

    private static Problem.FieldError fieldError(ConfigError e) {
        return new Problem.FieldError(e.path(), e.message());
    }

    record ReloadView(boolean applied, String file, List<String> changes, List<String> restartRequired) {}
}
