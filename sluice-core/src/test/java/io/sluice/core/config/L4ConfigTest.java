package io.sluice.core.config;

import static io.sluice.core.config.Yaml.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code tcp:} and {@code udp:} listener keys of issue 9: defaults, spellings and range errors. */
class L4ConfigTest {

    @Test
    void tcpListenersCheckByConnectingAndSpliceByDefault() throws Exception {
        SluiceConfig c = ConfigLoader.parse("""
                health_checks: {interval: 7s}
                tcp:
                  - {name: a, port: 1, backends: [{host: h, port: 2}]}
                  - name: b
                    port: 3
                    splice: off
                    health_checks: {check_type: http, path: /up}
                    outlier_detection: {consecutive_failures: 2}
                    backends: [{host: h, port: 4}]
                """, "test");
        TcpListenerConfig a = c.tcp().get(0);
        assertThat(a.splice()).isTrue(); // auto unless turned off
        assertThat(a.healthChecks().checkType()).isEqualTo(HealthCheckConfig.CheckType.TCP);
        assertThat(a.healthChecks().interval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(a.outlierDetection()).isEmpty();
        TcpListenerConfig b = c.tcp().get(1);
        assertThat(b.splice()).isFalse();
        assertThat(b.healthChecks().checkType()).isEqualTo(HealthCheckConfig.CheckType.HTTP);
        assertThat(b.healthChecks().path()).isEqualTo("/up");
        assertThat(b.outlierDetection()).get().extracting(OutlierConfig::consecutiveFailures).isEqualTo(2);
    }

    @Test
    void udpListenersHaveBoundedSessionsAndQueues() throws Exception {
        SluiceConfig c = ConfigLoader.parse("udp: [{name: dns, port: 53, backends: [{host: h, port: 5353}]}]", "t");
        UdpListenerConfig u = c.udp().get(0);
        assertThat(u.maxSessions()).isEqualTo(10_000);
        assertThat(u.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(u.queueSize()).isEqualTo(256);
    }

    @Test
    void rejectsOutOfRangeL4Keys() {
        assertThat(errors("udp: [{name: u, port: 1, max_sessions: 0, queue_size: 100000, backends: [{host: h, port: 2}]}]"))
                .containsExactly("udp[0].max_sessions: must be 1..1000000, got 0",
                        "udp[0].queue_size: must be 1..65536, got 100000");
        assertThat(errors("tcp: [{name: t, port: 1, splice: always, backends: [{host: h, port: 2}]}]"))
                .containsExactly("tcp[0].splice: must be one of auto, off, got \"always\"");
        assertThat(errors("""
                tcp: [{name: same, port: 1, backends: [{host: h, port: 2}]}]
                udp: [{name: same, port: 1, backends: [{host: h, port: 2}]}]
                """)).containsExactly("udp[0].name: duplicate listener name \"same\"");
    }
}
