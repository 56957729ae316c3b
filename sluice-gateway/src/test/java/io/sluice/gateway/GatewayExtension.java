package io.sluice.gateway;

import io.sluice.testing.TestBackend;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real loopback backends plus a gateway in front of them, closed after each test. Register it on an instance
 * field with {@code @RegisterExtension}; the backends start with the test instance, the gateway when the test
 * says how to configure it.
 */
final class GatewayExtension implements AfterEachCallback {

    private final List<TestBackend> backends;
    private Gateway gateway;

    GatewayExtension(String... backendNames) {
        this.backends = Arrays.stream(backendNames).map(TestBackend::start).toList();
    }

    /** Starts a gateway routing every request over all backends; {@code extraYaml} adds or overrides settings. */
    Gateway start(String extraYaml) throws Exception {
        gateway = TestGateways.start(extraYaml, backends.toArray(TestBackend[]::new));
        return gateway;
    }

    /** Starts a gateway routing every request over just the given backends (of this extension). */
    Gateway startFor(String extraYaml, TestBackend... only) throws Exception {
        gateway = TestGateways.start(extraYaml, only);
        return gateway;
    }

    /** Starts a gateway whose routes {@code yaml} names itself (listener and admin on port 0 are added). */
    Gateway startWithRoutes(String yaml) throws Exception {
        gateway = TestGateways.start(yaml);
        return gateway;
    }

    /** Adopts a gateway the test started itself, so that it is closed after the test. */
    Gateway adopt(Gateway started) {
        gateway = started;
        return gateway;
    }

    Gateway gateway() {
        return gateway;
    }

    TestBackend backend() {
        return backends.get(0);
    }

    TestBackend backend(int index) {
        return backends.get(index);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (gateway != null) {
            gateway.close();
        }
        backends.forEach(TestBackend::close);
    }
}
