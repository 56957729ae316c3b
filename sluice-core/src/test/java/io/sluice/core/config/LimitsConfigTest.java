package io.sluice.core.config;

import static io.sluice.core.config.Yaml.errors;
import static io.sluice.core.config.Yaml.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bandwidth, request decompression and concurrency-queue keys: binding, inheritance and every error. */
class LimitsConfigTest {

    private static final String BACKENDS = "    backends: [{host: a, port: 1}]\n";

    @Test
    void bandwidthIsUnlimitedByDefault() {
        SluiceConfig c = parse("routes:\n  - name: r\n" + BACKENDS);
        assertThat(c.bandwidth()).isEqualTo(BandwidthConfig.UNLIMITED);
        assertThat(c.routes().get(0).bandwidth()).isEqualTo(BandwidthConfig.UNLIMITED);
        assertThat(c.routes().get(0).bandwidth().limitsRoute()).isFalse();
    }

    @Test
    void routesInheritTheTopLevelBandwidthAndOverrideSingleKeys() {
        SluiceConfig c = parse("""
                bandwidth:
                  global: 1Gbps
                  per_connection: 100Mbps
                  burst: 64KiB
                  time_zone: Europe/Berlin
                  profiles:
                    - {days: mon-fri, from: "09:00", to: "18:00", rate: 200Mbps}
                routes:
                  - name: a
                    backends: [{host: a, port: 1}]
                  - name: b
                    bandwidth: {per_connection: 10MB/s, per_route: 0}
                    backends: [{host: a, port: 1}]
                """);
        BandwidthProfile office = new BandwidthProfile(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                LocalTime.of(9, 0), LocalTime.of(18, 0), 200_000_000);
        BandwidthConfig top = new BandwidthConfig(100_000_000, 0, 1_000_000_000, 65_536, List.of(office),
                ZoneId.of("Europe/Berlin"));
        assertThat(c.bandwidth()).isEqualTo(top);
        assertThat(c.routes().get(0).bandwidth()).isEqualTo(top);
        assertThat(c.routes().get(1).bandwidth().perConnection()).isEqualTo(80_000_000);
        assertThat(c.routes().get(1).bandwidth().global()).isEqualTo(1_000_000_000);
        assertThat(c.routes().get(1).bandwidth().profiles()).containsExactly(office);
    }

    @Test
    void badBandwidthValuesNameThePathTheValueAndTheRange() {
        assertThat(errors("""
                bandwidth: {global: 100, burst: 10B, time_zone: Mars/Olympus}
                routes:
                  - name: r
                    bandwidth:
                      per_route: 10Mb/s
                      per_connection: 2Tbps
                      global: 1Gbps
                      profiles:
                        - {days: weekdays, from: "9am", to: "18:00", rate: 1Mbps}
                        - {from: "08:00", to: "08:00", rate: 1Mbps}
                    backends: [{host: a, port: 1}]
                """)).containsExactlyInAnyOrder(
                "bandwidth.global: must be a bandwidth such as " + Units.BANDWIDTH_FORMS + ", got 100",
                "bandwidth.burst: must be 1KiB..1GiB, got 10B",
                "bandwidth.time_zone: must be a time zone such as UTC, +01:00 or Europe/Berlin, got \"Mars/Olympus\"",
                "routes[0].bandwidth.per_route: must be a bandwidth such as " + Units.BANDWIDTH_FORMS
                        + ", got \"10Mb/s\"",
                "routes[0].bandwidth.per_connection: must be 0 (unlimited) or 1kbps..1Tbps, got 2Tbps",
                "routes[0].bandwidth.global: unknown key",
                "routes[0].bandwidth.profiles[0].days: must be days such as mon-fri, sat,sun or mon,wed-fri, got "
                        + "\"weekdays\"",
                "routes[0].bandwidth.profiles[0].from: must be a time of day such as \"09:00\" or \"18:30\" (HH:MM,"
                        + " quoted), got \"9am\"",
                "routes[0].bandwidth.profiles[1].to: must differ from routes[0].bandwidth.profiles[1].from (08:00),"
                        + " got 08:00");
    }

    @Test
    void requestDecompressionIsOffUnlessWrittenAndBoundsItsSize() {
        SluiceConfig c = parse("""
                routes:
                  - name: plain
                    backends: [{host: a, port: 1}]
                  - name: api
                    request_decompression: {max_size: 1MB}
                    backends: [{host: a, port: 1}]
                """);
        assertThat(c.routes().get(0).requestDecompression()).isEqualTo(RequestDecompressionConfig.OFF);
        assertThat(c.routes().get(1).requestDecompression()).isEqualTo(new RequestDecompressionConfig(true, 1_000_000));
        assertThat(errors("routes:\n  - name: r\n    request_decompression: {max_size: 0}\n" + BACKENDS))
                .containsExactly("routes[0].request_decompression.max_size: must be 1KiB..1GiB, got 0");
    }

    @Test
    void theConcurrencyQueueIsOffUnlessAQueueKeyIsWritten() {
        assertThat(parse("server: {max_concurrent_streams: 50}").server().maxQueue()).isZero();
        ServerConfig timeoutOnly = parse("server: {max_concurrent_streams: 50, queue_timeout: 250ms}").server();
        assertThat(timeoutOnly.maxQueue()).isEqualTo(50);
        assertThat(timeoutOnly.queueTimeout()).isEqualTo(java.time.Duration.ofMillis(250));
        ServerConfig sizeOnly = parse("server: {max_queue: 7}").server();
        assertThat(sizeOnly.maxQueue()).isEqualTo(7);
        assertThat(sizeOnly.queueTimeout()).isEqualTo(ServerConfig.DEFAULT_QUEUE_TIMEOUT);
        assertThat(errors("server: {max_queue: -1, queue_timeout: 0s}")).containsExactlyInAnyOrder(
                "server.max_queue: must be 0..1000000, got -1",
                "server.queue_timeout: must be 1ms..10m, got 0s");
    }
}
