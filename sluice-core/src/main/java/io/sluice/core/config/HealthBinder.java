package io.sluice.core.config;

import io.sluice.core.config.HealthCheckConfig.CheckType;
import io.sluice.core.config.HealthCheckConfig.StatusRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Binds {@code health_checks:} (top level and per route) and {@code routes[i].outlier_detection:}.
 * A route's {@code health_checks} starts from the top level's values, so a route only writes what differs.
 */
final class HealthBinder {

    static final List<String> ROUTE_HEALTH_KEYS = List.of(
            "enabled", "interval", "timeout", "unhealthy_threshold", "healthy_threshold", "check_type", "path",
            "expected_status", "expected_body", "host", "command");
    /** The top level also sizes the worker pool, which all routes share. */
    static final List<String> HEALTH_KEYS = concat(ROUTE_HEALTH_KEYS, "workers");
    static final List<String> OUTLIER_KEYS = List.of(
            "consecutive_failures", "base_ejection_time", "max_ejection_time", "max_ejection_percent");

    private static final List<String> CHECK_TYPES =
            Arrays.stream(CheckType.values()).map(CheckType::yamlName).toList();
    private static final String STATUS_FORMS = "a status code 100..599 or a range such as 200-399";

    private HealthBinder() {}

    static HealthCheckConfig topLevel(Node node) {
        return bind(node.mapping(HEALTH_KEYS), Defaults.HEALTH_CHECKS, true);
    }

    static HealthCheckConfig route(Node node, HealthCheckConfig inherited) {
        return bind(node.mapping(ROUTE_HEALTH_KEYS), inherited, false);
    }

    private static HealthCheckConfig bind(Node h, HealthCheckConfig d, boolean topLevel) {
        boolean enabled = h.get("enabled").bool(d.enabled());
        int workers = topLevel ? h.get("workers").integer(d.workers(), 1, 64) : d.workers();
        Duration interval = h.get("interval").duration(d.interval(), "1s", "1h");
        Duration timeout = h.get("timeout").duration(d.timeout(), "1ms", "1h");
        int unhealthy = h.get("unhealthy_threshold").integer(d.unhealthyThreshold(), 1, 100);
        int healthy = h.get("healthy_threshold").integer(d.healthyThreshold(), 1, 100);
        String typeName = h.get("check_type").oneOf(d.checkType().yamlName(), CHECK_TYPES);
        CheckType type = CheckType.valueOf(typeName.toUpperCase(java.util.Locale.ROOT));

        Node pathNode = h.get("path");
        String path = pathNode.string(d.path());
        if (!path.startsWith("/") && !pathNode.failed()) {
            pathNode.error("must start with \"/\", got " + Node.quote(path));
        }
        Node statusNode = h.get("expected_status");
        List<StatusRange> statuses = statusNode.present() ? statuses(statusNode, d.expectedStatus()) : d.expectedStatus();
        Optional<String> body = emptyMeansUnset(h.get("expected_body"), d.expectedBody());
        Optional<String> host = emptyMeansUnset(h.get("host"), d.host());

        Node commandNode = h.get("command");
        List<String> command = commandNode.present() ? command(commandNode) : d.command();
        if (enabled && type == CheckType.CUSTOM && command.isEmpty() && !commandNode.failed()) {
            commandNode.error("required when check_type is custom");
        }
        return new HealthCheckConfig(enabled, workers, interval, timeout, unhealthy, healthy, type, path, statuses,
                body, host, command);
    }

    /** {@code ""} clears a value a route would otherwise inherit; seed 001 writes {@code host: ""} for "default". */
    private static Optional<String> emptyMeansUnset(Node node, Optional<String> inherited) {
        if (!node.present()) {
            return inherited;
        }
        if (node.isEmptyText()) {
            return Optional.empty();
        }
        return Optional.ofNullable(node.string(inherited.orElse(null)));
    }

    private static List<StatusRange> statuses(Node node, List<StatusRange> fallback) {
        List<Node> elements = node.oneOrMany();
        if (elements.isEmpty()) {
            if (!node.failed()) {
                node.error("must have at least 1 status, got an empty list");
            }
            return fallback;
        }
        List<StatusRange> out = new ArrayList<>();
        for (Node element : elements) {
            String text = element.string(null);
            if (text == null) {
                continue;
            }
            Optional<StatusRange> range = parseRange(text.strip());
            if (range.isEmpty()) {
                element.error("must be " + STATUS_FORMS + ", got " + element.shown());
            } else {
                out.add(range.get());
            }
        }
        return out.isEmpty() ? fallback : out;
    }

    static Optional<StatusRange> parseRange(String text) {
        int dash = text.indexOf('-');
        Optional<Integer> from = parseStatus(dash < 0 ? text : text.substring(0, dash).strip());
        Optional<Integer> to = dash < 0 ? from : parseStatus(text.substring(dash + 1).strip());
        if (from.isEmpty() || to.isEmpty() || from.get() > to.get()) {
            return Optional.empty();
        }
        return Optional.of(new StatusRange(from.get(), to.get()));
    }

    private static Optional<Integer> parseStatus(String text) {
        if (text.length() != 3 || !text.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        int status = Integer.parseInt(text);
        return status >= 100 && status <= 599 ? Optional.of(status) : Optional.empty();
    }

    private static List<String> command(Node node) {
        List<Node> elements = node.elements();
        if (elements.isEmpty() && !node.failed()) {
            node.error("must have at least 1 element (the program), got an empty list");
        }
        List<String> out = new ArrayList<>();
        for (Node element : elements) {
            String arg = element.string(null);
            if (arg != null) {
                out.add(arg);
            }
        }
        return out;
    }

    /** Empty when the route has no {@code outlier_detection}; present (with defaults) when it has the key at all. */
    static Optional<OutlierConfig> outlier(Node node) {
        if (!node.present()) {
            return Optional.empty();
        }
        Node o = node.mapping(OUTLIER_KEYS);
        OutlierConfig d = Defaults.OUTLIER;
        int failures = o.get("consecutive_failures").integer(d.consecutiveFailures(), 1, 1000);
        Node baseNode = o.get("base_ejection_time");
        Duration base = baseNode.duration(d.baseEjectionTime(), "1s", "1h");
        Node maxNode = o.get("max_ejection_time");
        Duration max = maxNode.duration(d.maxEjectionTime(), "1s", "24h");
        if (max.compareTo(base) < 0 && !maxNode.failed() && !baseNode.failed()) {
            // Blame the key that was written; with both written, the maximum is the one that reads wrong.
            Node blamed = maxNode.present() ? maxNode : baseNode;
            Node other = blamed == maxNode ? baseNode : maxNode;
            String relation = blamed == maxNode ? "at least " : "at most ";
            String otherValue = other.present() ? other.raw() : Units.formatDuration(blamed == maxNode ? base : max);
            blamed.error("must be " + relation + other.path() + " (" + otherValue + "), got " + blamed.raw());
        }
        int percent = o.get("max_ejection_percent").integer(d.maxEjectionPercent(), 1, 100);
        return Optional.of(new OutlierConfig(failures, base, max, percent));
    }

    private static List<String> concat(List<String> keys, String key) {
        List<String> out = new ArrayList<>(keys);
        out.add(key);
        return List.copyOf(out);
    }
}
