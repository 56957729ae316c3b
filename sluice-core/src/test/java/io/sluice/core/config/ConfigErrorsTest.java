package io.sluice.core.config;

import static io.sluice.core.config.Yaml.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** One test per kind of mistake, each asserting the exact message an operator will read. */
class ConfigErrorsTest {

    @Test
    void rejectsWeightOutsideRangeNamingPathAndValue() {
        assertThat(errors("""
                routes:
                  - name: api
                    backends:
                      - {host: a, port: 1}
                      - {host: b, port: 2, weight: 0}
                """)).containsExactly("routes[0].backends[1].weight: must be 1..1000, got 0");
    }

    @Test
    void rejectsDurationOutsideRange() {
        assertThat(errors("timeouts: {connect: 0s}")).containsExactly("timeouts.connect: must be 1ms..10m, got 0s");
        assertThat(errors("timeouts: {connect: 11m}")).containsExactly("timeouts.connect: must be 1ms..10m, got 11m");
        assertThat(errors("timeouts: {read: -5}")).containsExactly("timeouts.read: must be 1ms..1h, got -5");
    }

    @Test
    void rejectsDurationWithUnknownUnitListingAcceptedForms() {
        assertThat(errors("timeouts: {connect: 5 parsecs}")).containsExactly("timeouts.connect: must be a duration"
                + " such as 250ms, 30s, 5m, 1h, 1d or a whole number of seconds, got \"5 parsecs\"");
    }

    @Test
    void rejectsSizeOutsideRangeAndUnknownUnits() {
        assertThat(errors("server: {max_buffer_size: 32MiB}"))
                .containsExactly("server.max_buffer_size: must be 256B..16MiB, got 32MiB");
        assertThat(errors("server: {buffer_size: 8 bits}")).containsExactly("server.buffer_size: must be a size"
                + " such as 512, 512B, 8KiB, 1MiB, 1GiB (1024-based) or 8KB, 1MB, 1GB (1000-based), got \"8 bits\"");
    }

    @Test
    void rejectsBufferLargerThanItsMaximumBlamingTheKeyThatWasWritten() {
        assertThat(errors("server: {buffer_size: 128KiB}"))
                .containsExactly("server.buffer_size: must be at most server.max_buffer_size (64KiB), got 128KiB");
        assertThat(errors("server: {max_buffer_size: 4KiB}"))
                .containsExactly("server.max_buffer_size: must be at least server.buffer_size (8KiB), got 4KiB");
    }

    @Test
    void rejectsWrongTypes() {
        assertThat(errors("server: {backlog: lots}")).containsExactly("server.backlog: must be an integer, got \"lots\"");
        assertThat(errors("server: {backlog: 1.5}")).containsExactly("server.backlog: must be an integer, got 1.5");
        assertThat(errors("admin: {enabled: maybe}")).containsExactly("admin.enabled: must be true or false, got \"maybe\"");
        assertThat(errors("admin: {host: [a, b]}")).containsExactly("admin.host: must be a string, got a list");
        assertThat(errors("routes: {name: api}")).containsExactly("routes: must be a list, got a mapping");
    }

    @Test
    void rejectsIntegersTooLargeForAnyRange() {
        assertThat(errors("admin: {port: 99999999999999999999}"))
                .containsExactly("admin.port: must be 0..65535, got 99999999999999999999");
    }

    @Test
    void rejectsWorkersThatAreNeitherAutoNorInRange() {
        assertThat(errors("server: {workers: 0}")).containsExactly("server.workers: must be auto or 1..1024, got 0");
        assertThat(errors("server: {workers: many}"))
                .containsExactly("server.workers: must be auto or 1..1024, got \"many\"");
    }

    @Test
    void rejectsMalformedHashKeys() {
        assertThat(errors("routes: [{algorithm: ip_hash, hash_key: client, backends: [{host: a, port: 1}]}]"))
                .containsExactly("routes[0].hash_key: must be client_ip, header:<name> or cookie:<name>,"
                        + " got \"client\"");
        assertThat(errors("routes: [{algorithm: ip_hash, hash_key: \"header:\", backends: [{host: a, port: 1}]}]"))
                .containsExactly("routes[0].hash_key: must be client_ip, header:<name> or cookie:<name>,"
                        + " got \"header:\"");
        assertThat(errors("routes: [{algorithm: ip_hash, hash_key: \"cookie:a b\", backends: [{host: a, port: 1}]}]"))
                .containsExactly("routes[0].hash_key: must be client_ip, header:<name> or cookie:<name>,"
                        + " got \"cookie:a b\"");
    }

    @Test
    void rejectsBalancerOptionsTheAlgorithmWouldIgnore() {
        assertThat(errors("routes: [{algorithm: round_robin, hash_key: client_ip, backends: [{host: a, port: 1}]}]"))
                .containsExactly("routes[0].hash_key: must be absent unless algorithm is ip_hash,"
                        + " got \"client_ip\" with round_robin");
        assertThat(errors("routes: [{algorithm: ip_hash, slow_start: 30s, backends: [{host: a, port: 1}]}]"))
                .containsExactly("routes[0].slow_start: must be absent or 0s unless algorithm is one of"
                        + " least_connections, least_response_time, power_of_two_choices, weighted_round_robin,"
                        + " got 30s with ip_hash");
        assertThat(errors("routes: [{ewma_decay: 5s, backends: [{host: a, port: 1}]}]"))
                .containsExactly("routes[0].ewma_decay: must be absent unless algorithm is least_response_time,"
                        + " got 5s with power_of_two_choices");
    }

    @Test
    void rejectsBalancerDurationsOutsideRange() {
        assertThat(errors("routes: [{slow_start: 2h, backends: [{host: a, port: 1}]}]"))
                .containsExactly("routes[0].slow_start: must be 0s..1h, got 2h");
        assertThat(errors("routes: [{algorithm: least_response_time, ewma_decay: 0s, backends: [{host: a, port: 1}]}]"))
                .containsExactly("routes[0].ewma_decay: must be 1ms..1h, got 0s");
    }

    @Test
    void suggestsNearestKeyForTypo() {
        assertThat(errors("server: {backlogg: 10}"))
                .containsExactly("server.backlogg: unknown key (did you mean \"backlog\"?)");
        assertThat(errors("connection_pool: {maxConnections: 10}"))
                .containsExactly("connection_pool.maxConnections: unknown key (did you mean \"max_connections\"?)");
        assertThat(errors("timeout: {read: 1s}"))
                .containsExactly("timeout: unknown key (did you mean \"timeouts\"?)");
    }

    @Test
    void unknownKeyWithNothingCloseGetsNoHint() {
        assertThat(errors("proxy: {colour: blue}")).containsExactly("proxy.colour: unknown key");
    }

    @Test
    void reportsMissingRequiredKeys() {
        assertThat(errors("routes: [{backends: [{weight: 5}]}]")).containsExactly(
                "routes[0].backends[0].host: required",
                "routes[0].backends[0].port: required");
        assertThat(errors("routes: [{name: api}]")).containsExactly("routes[0].backends: required");
    }

    @Test
    void rejectsValuesOutsideAnEnumeration() {
        assertThat(errors("server: {listeners: [{protocol: ftp}]}"))
                .containsExactly("server.listeners[0].protocol: must be one of http, https, got \"ftp\"");
        assertThat(errors("routes: [{algorithm: random, backends: [{host: a, port: 1}]}]"))
                .containsExactly("routes[0].algorithm: must be one of ip_hash, least_connections, least_response_time,"
                        + " power_of_two_choices, round_robin, weighted_round_robin, got \"random\"");
    }

    @Test
    void rejectsRouteWithoutBackends() {
        assertThat(errors("routes: [{name: api, backends: []}]"))
                .containsExactly("routes[0].backends: must have at least 1 backend");
        assertThat(errors("backends: []")).containsExactly("backends: must have at least 1 backend");
    }

    @Test
    void rejectsDuplicateRouteNames() {
        assertThat(errors("""
                routes:
                  - {name: api, backends: [{host: a, port: 1}]}
                  - {name: api, backends: [{host: b, port: 2}]}
                """)).containsExactly("routes[1].name: duplicate route name \"api\"");
    }

    @Test
    void rejectsRoutesAndTopLevelBackendsTogether() {
        assertThat(errors("""
                routes: [{backends: [{host: a, port: 1}]}]
                backends: [{host: b, port: 2}]
                """)).containsExactly(
                "backends: must be absent when routes is set, got a list; move these backends under a route");
    }

    @Test
    void rejectsPathPrefixWithoutLeadingSlash() {
        assertThat(errors("routes: [{path_prefix: api, backends: [{host: a, port: 1}]}]"))
                .containsExactly("routes[0].path_prefix: must start with \"/\", got \"api\"");
    }

    @Test
    void rejectsMinIdleAboveMaxConnections() {
        assertThat(errors("connection_pool: {min_idle: 10, max_connections: 5}"))
                .containsExactly("connection_pool.min_idle: must be 0..5, got 10");
    }

    @Test
    void rejectsViaNameThatIsNotAToken() {
        assertThat(errors("proxy: {via_name: my proxy}")).containsExactly(
                "proxy.via_name: must be a token (letters, digits and !#$%&'*+-.^_`|~), got \"my proxy\"");
    }

    @Test
    void rejectsEmptyStrings() {
        assertThat(errors("admin: {host: ''}")).containsExactly("admin.host: must be a non-empty string, got \"\"");
    }

    @Test
    void rejectsNonMappingWhereAMappingIsExpected() {
        assertThat(errors("server: [1, 2]")).containsExactly("server: must be a mapping, got a list");
        assertThat(errors("- a\n- b")).containsExactly("<root>: must be a mapping, got a list");
        assertThat(errors("just text")).containsExactly("<root>: must be a mapping, got \"just text\"");
    }

    @Test
    void aListElementThatIsNotAMappingIsOneErrorNotOnePerMissingKey() {
        assertThat(errors("routes: [5]")).containsExactly("routes[0]: must be a mapping, got 5");
        assertThat(errors("routes: [{backends: [x]}]"))
                .containsExactly("routes[0].backends[0]: must be a mapping, got \"x\"");
        assertThat(errors("server: {listeners: [{protocol: https, tls: 5}]}"))
                .containsExactly("server.listeners[0].tls: must be a mapping, got 5");
        assertThat(errors("server: {listeners: [http]}"))
                .containsExactly("server.listeners[0]: must be a mapping, got \"http\"");
    }

    @Test
    void listenerNamesAreRequiredUniqueAndLowercase() {
        assertThat(errors("server: {listeners: [{port: 1}, {port: 2}]}")).containsExactly(
                "server.listeners[0].name: required when there is more than one listener",
                "server.listeners[1].name: required when there is more than one listener");
        assertThat(errors("server: {listeners: [{name: a, port: 1}, {name: a, port: 2}]}"))
                .containsExactly("server.listeners[1].name: duplicate listener name \"a\"");
        assertThat(errors("server: {listeners: [{name: Public}]}"))
                .containsExactly("server.listeners[0].name: must match [a-z0-9_-]+, got \"Public\"");
    }

    @Test
    void rejectsTwoListenersOnOneSocket() {
        assertThat(errors("server: {listeners: [{name: a, port: 80}, {name: b, port: 80}]}")).containsExactly(
                "server.listeners[1].port: must differ from listener \"a\" on the same host, got 80");
    }

    @Test
    void rejectsAnEmptyListenerList() {
        assertThat(errors("server: {listeners: []}")).containsExactly("server.listeners: must have at least 1 listener");
    }

    @Test
    void tlsIsRequiredForHttpsAndForbiddenOtherwise() {
        assertThat(errors("server: {listeners: [{protocol: https}]}"))
                .containsExactly("server.listeners[0].tls: required");
        assertThat(errors("server: {listeners: [{protocol: http, tls: {cert: a, key: b}}]}"))
                .containsExactly("server.listeners[0].tls: must be absent when protocol is http, got a mapping");
    }

    @Test
    void tlsFilesMustExist() {
        Path cwd = Path.of("").toAbsolutePath();
        assertThat(errors("server: {listeners: [{protocol: https, tls: {cert: no/cert.pem, key: no/key.pem}}]}"))
                .containsExactly(
                        "server.listeners[0].tls.cert: must be a readable file, got \"no/cert.pem\" ("
                                + cwd.resolve("no/cert.pem") + " does not exist)",
                        "server.listeners[0].tls.key: must be a readable file, got \"no/key.pem\" ("
                                + cwd.resolve("no/key.pem") + " does not exist)");
    }

    @Test
    void reportsYamlSyntaxErrorsWithLineAndColumn() {
        assertThat(errors("server:\n  backlog: 1\n  x: [1, 2\n  y: 3\n")).singleElement().asString()
                .startsWith("server.x[1]: invalid YAML: while parsing a flow sequence at line 3, column 6;")
                .contains("at line 4, column 4");
    }

    @Test
    void rejectsDuplicateKeys() {
        assertThat(errors("server:\n  backlog: 1\n  backlog: 2\n"))
                .containsExactly("server.backlog: invalid YAML: Duplicate field 'backlog' at line 3, column 10");
    }

    @Test
    void rejectsASecondYamlDocument() {
        assertThat(errors("admin: {port: 1}\n---\nadmin: {port: 2}\n")).containsExactly(
                "<root>: invalid YAML: more than one document (---); a configuration file holds one at line 3");
    }

    @Test
    void reportsEveryErrorAtOnce() {
        assertThat(errors("""
                server:
                  backlogg: 10
                  drain_timeout: 2h
                timeouts:
                  connect: 0s
                connection_pool:
                  max_connections: 0
                routes:
                  - name: api
                    backends:
                      - host: a
                        port: 70000
                      - port: 1
                        weight: 0
                  - name: api
                    backends: []
                """)).containsExactly(
                "server.backlogg: unknown key (did you mean \"backlog\"?)",
                "server.drain_timeout: must be 0s..1h, got 2h",
                "timeouts.connect: must be 1ms..10m, got 0s",
                "connection_pool.max_connections: must be 1..100000, got 0",
                "routes[0].backends[0].port: must be 1..65535, got 70000",
                "routes[0].backends[1].host: required",
                "routes[0].backends[1].weight: must be 1..1000, got 0",
                "routes[1].backends: must have at least 1 backend",
                "routes[1].name: duplicate route name \"api\"");
    }

    @Test
    void exceptionMessageCountsAndListsTheErrors() {
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                ConfigException.class, () -> ConfigLoader.parse("admin: {port: -1, enabled: 3}", "inline"));
        assertThat(e.getMessage()).isEqualTo("""
                inline: 2 configuration errors
                  admin.enabled: must be true or false, got 3
                  admin.port: must be 0..65535, got -1""");
    }
}
