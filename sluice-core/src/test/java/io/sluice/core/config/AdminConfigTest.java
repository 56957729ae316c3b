package io.sluice.core.config;

import static io.sluice.core.config.Yaml.errors;
import static io.sluice.core.config.Yaml.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The admin section's control API keys (issue 8): token, state directory, job workers, rate limit. */
class AdminConfigTest {

    @Test
    void defaultsAreLoopbackNoTokenTenJobWorkersAndSeed000RateLimit() {
        AdminConfig admin = parse("admin: {port: 0}").admin();
        assertThat(admin.token()).isEmpty();
        assertThat(admin.stateDir()).isEmpty();
        assertThat(admin.jobWorkers()).isEqualTo(10);
        assertThat(admin.rateLimit().enabled()).isTrue();
        assertThat(admin.rateLimit().rate()).isEqualTo(100);
        assertThat(admin.rateLimit().burst()).isEqualTo(20);
        assertThat(admin.rateLimit().per()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aPublicBindWithoutATokenIsRefused() {
        assertThat(errors("admin: {host: 0.0.0.0}")).containsExactly("admin.token: required when admin.host (0.0.0.0)"
                + " is not a loopback address: set admin.token or the SLUICE_ADMIN_TOKEN environment variable, or bind"
                + " admin.host to 127.0.0.1");
        assertThat(parse("admin: {host: 0.0.0.0, token: abc}").admin().token()).hasValue("abc");
        assertThat(parse("admin: {host: localhost}").admin().token()).isEmpty();
        assertThat(parse("admin: {host: '::1'}").admin().token()).isEmpty();
        assertThat(parse("admin: {enabled: false, host: 0.0.0.0}").admin().enabled()).isFalse();
    }

    @Test
    void tokensAreSingleWordsAndNeverPrinted() {
        assertThat(errors("admin: {token: 'two words'}"))
                .containsExactly("admin.token: must be printable ASCII without spaces, got a value of 9 character(s)");
        assertThat(parse("admin: {token: s3cret}").admin().toString()).doesNotContain("s3cret").contains("token=<set>");
    }

    @Test
    void jobWorkersAndRateLimitAreRangeChecked() {
        assertThat(errors("admin: {job_workers: 0}")).containsExactly("admin.job_workers: must be 1..100, got 0");
        AdminConfig admin = parse("admin: {job_workers: 3, rate_limit: {rate: 1000, burst: 200}}").admin();
        assertThat(admin.jobWorkers()).isEqualTo(3);
        assertThat(admin.rateLimit().rate()).isEqualTo(1000);
        assertThat(admin.rateLimit().burst()).isEqualTo(200);
        assertThat(admin.rateLimit().enabled()).isTrue();
        assertThat(parse("admin: {rate_limit: {enabled: false}}").admin().rateLimit().enabled()).isFalse();
        assertThat(parse("admin: {state_dir: /var/lib/sluice}").admin().stateDir().orElseThrow().toString())
                .isEqualTo("/var/lib/sluice");
    }

    @Test
    void jobBandwidthIsOneSharedRateWithBurstProfilesAndTimeZone() {
        assertThat(parse("admin: {port: 0}").admin().jobBandwidth()).isEqualTo(JobBandwidthConfig.UNLIMITED);
        JobBandwidthConfig b = parse("""
                admin:
                  job_bandwidth:
                    global: 200Mbps
                    burst: 4MB
                    time_zone: Europe/Berlin
                    profiles:
                      - {days: mon-fri, from: "09:00", to: "18:00", rate: 50Mbps}
                """).admin().jobBandwidth();
        assertThat(b.global()).isEqualTo(200_000_000);
        assertThat(b.burstBytes()).isEqualTo(4_000_000);
        assertThat(b.timeZone()).isEqualTo(java.time.ZoneId.of("Europe/Berlin"));
        assertThat(b.profiles()).singleElement().satisfies(p -> assertThat(p.bitsPerSecond()).isEqualTo(50_000_000));
        assertThat(b.limits()).isTrue();
        assertThat(errors("admin: {job_bandwidth: {global: fast, per_route: 1Mbps}}")).containsExactlyInAnyOrder(
                "admin.job_bandwidth.global: must be a bandwidth such as 0, 500kbps, 100Mbps, 1Gbps (bits, 1000-based)"
                        + " or 10MB/s, 512KiB/s (bytes per second), got \"fast\"",
                "admin.job_bandwidth.per_route: unknown key");
    }
}
