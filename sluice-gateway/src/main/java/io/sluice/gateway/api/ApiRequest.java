package io.sluice.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One control API call, decoded: from HTTP, or one operation of a batch.
 *
 * @param method upper case, e.g. {@code PATCH}
 * @param path   the raw (still percent-encoded) path, without query
 * @param body   the decoded body, or null when there is none
 */
public record ApiRequest(String method, String path, JsonNode body) {}
