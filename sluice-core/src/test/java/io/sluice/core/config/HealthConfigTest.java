package io.sluice.core.config;

import static io.sluice.core.config.Yaml.errors;
import static io.sluice.core.config.Yaml.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.HealthCheckConfig.CheckType;
import io.sluice.core.config.HealthCheckConfig.StatusRange;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code health_checks}, {@code outlier_detection} and {@code panic_routing}: binding, inheritance and errors. */
class HealthConfigTest {

    @Test
    void bindsSeedBlockAtTopLevel() {
        HealthCheckConfig h = parse("""
                health_checks:
                  enabled: true
                  workers: 5
                  interval: 10s
                  timeout: 5s
                  unhealthy_threshold: 3
                  healthy_threshold: 2
                  check_type: http
                  path: /health
                  expected_status: 200-399
                  expected_body: "ok"
                  host: ""
                """).healthChecks();
        assertThat(h).isEqualTo(new HealthCheckConfig(true, 5, Duration.ofSeconds(10), Duration.ofSeconds(5), 3, 2,
                CheckType.HTTP, "/health", List.of(new StatusRange(200, 399)), Optional.of("ok"), Optional.empty(),
                List.of()));
    }

    @Test
    void routeOverridesOnlyTheKeysItWritesAndInheritsTheRest() {
        SluiceConfig c = parse("""
                health_checks: {interval: 20s, path: /ping, expected_body: pong}
                routes:
                  - name: a
                    backends: [{host: a, port: 1}]
                  - name: b
                    health_checks: {check_type: tcp, expected_body: ""}
                    backends: [{host: b, port: 2}]
                """);
        HealthCheckConfig a = c.routes().get(0).healthChecks();
        HealthCheckConfig b = c.routes().get(1).healthChecks();
        assertThat(a).isEqualTo(c.healthChecks());
        assertThat(b.checkType()).isEqualTo(CheckType.TCP);
        assertThat(b.interval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.path()).isEqualTo("/ping");
        assertThat(b.expectedBody()).isEmpty();
    }

    @Test
    void expectedStatusTakesACodeARangeOrAList() {
        assertThat(parse("health_checks: {expected_status: 204}").healthChecks().expectedStatus())
                .containsExactly(new StatusRange(204, 204));
        HealthCheckConfig h = parse("health_checks: {expected_status: [200, \"300-302\"]}").healthChecks();
        assertThat(h.expectedStatus()).containsExactly(new StatusRange(200, 200), new StatusRange(300, 302));
        assertThat(h.acceptsStatus(301)).isTrue();
        assertThat(h.acceptsStatus(204)).isFalse();
    }

    @Test
    void rejectsBadStatusesNamingTheElement() {
        assertThat(errors("health_checks: {expected_status: [200, 99, 300-200, abc]}")).containsExactly(
                "health_checks.expected_status[1]: must be a status code 100..599 or a range such as 200-399, got 99",
                "health_checks.expected_status[2]: must be a status code 100..599 or a range such as 200-399,"
                        + " got \"300-200\"",
                "health_checks.expected_status[3]: must be a status code 100..599 or a range such as 200-399,"
                        + " got \"abc\"");
    }

    @Test
    void customCheckNeedsACommand() {
        assertThat(errors("health_checks: {check_type: custom}"))
                .containsExactly("health_checks.command: required when check_type is custom");
        assertThat(parse("health_checks: {check_type: custom, command: [/bin/check, \"{host}\", \"{port}\"]}")
                .healthChecks().command()).containsExactly("/bin/check", "{host}", "{port}");
    }

    @Test
    void rejectsOutOfRangeValuesAndUnknownKeys() {
        assertThat(errors("health_checks: {interval: 0s, unhealthy_threshold: 0, check_type: grpc, path: health}"))
                .containsExactly(
                        "health_checks.interval: must be 1s..1h, got 0s",
                        "health_checks.unhealthy_threshold: must be 1..100, got 0",
                        "health_checks.check_type: must be one of http, tcp, custom, got \"grpc\"",
                        "health_checks.path: must start with \"/\", got \"health\"");
        assertThat(errors("health_checks: {intervall: 5s}"))
                .containsExactly("health_checks.intervall: unknown key (did you mean \"interval\"?)");
    }

    @Test
    void workersAreSetOnlyAtTopLevel() {
        assertThat(errors("routes: [{health_checks: {workers: 2}, backends: [{host: a, port: 1}]}]"))
                .containsExactly("routes[0].health_checks.workers: unknown key");
    }

    @Test
    void outlierDetectionIsOffUntilWrittenAndThenTakesEnvoyDefaults() {
        SluiceConfig c = parse("""
                routes:
                  - {name: a, backends: [{host: a, port: 1}]}
                  - {name: b, outlier_detection: {}, panic_routing: true, backends: [{host: b, port: 2}]}
                """);
        assertThat(c.routes().get(0).outlierDetection()).isEmpty();
        assertThat(c.routes().get(0).panicRouting()).isFalse();
        assertThat(c.routes().get(1).outlierDetection())
                .contains(new OutlierConfig(5, Duration.ofSeconds(30), Duration.ofSeconds(300), 50));
        assertThat(c.routes().get(1).panicRouting()).isTrue();
    }

    @Test
    void rejectsOutlierValuesOutOfRangeOrInConflict() {
        assertThat(errors("""
                routes:
                  - outlier_detection: {consecutive_failures: 0, max_ejection_percent: 101}
                    backends: [{host: a, port: 1}]
                """)).containsExactly(
                "routes[0].outlier_detection.consecutive_failures: must be 1..1000, got 0",
                "routes[0].outlier_detection.max_ejection_percent: must be 1..100, got 101");
        assertThat(errors("""
                routes:
                  - outlier_detection: {base_ejection_time: 60s, max_ejection_time: 30s}
                    backends: [{host: a, port: 1}]
                """)).containsExactly("routes[0].outlier_detection.max_ejection_time: must be at least"
                + " routes[0].outlier_detection.base_ejection_time (60s), got 30s");
        assertThat(errors("""
                routes:
                  - outlier_detection: {base_ejection_time: 1h}
                    backends: [{host: a, port: 1}]
                """)).containsExactly("routes[0].outlier_detection.base_ejection_time: must be at most"
                + " routes[0].outlier_detection.max_ejection_time (5m), got 1h");
    }
}
