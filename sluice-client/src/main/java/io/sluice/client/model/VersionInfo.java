package io.sluice.client.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code GET /version} (camelCase, unlike /api/v1). */
public record VersionInfo(String version, String commit, @JsonProperty("commitFull") String commitFull,
                          @JsonProperty("buildTime") String buildTime, String java) {}
