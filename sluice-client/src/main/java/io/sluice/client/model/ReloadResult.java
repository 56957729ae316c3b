package io.sluice.client.model;

import java.util.List;

/** {@code POST /api/v1/config/reload}: what changed, and what needs a restart (those keep running values). */
public record ReloadResult(boolean applied, String file, List<String> changes, List<String> restartRequired) {}
