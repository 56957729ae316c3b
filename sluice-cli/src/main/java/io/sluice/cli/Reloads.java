package io.sluice.cli;

import io.sluice.core.config.ConfigException;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.control.ReloadResult;
import java.io.PrintWriter;
import sun.misc.Signal;

/**
 * SIGHUP reloads the configuration file, as {@code POST /api/v1/config/reload} does: a valid file is applied at
 * once, an invalid one is reported and the running configuration kept. The JDK has no supported signal API, so this
 * uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK); where HUP cannot be handled the API
 * still can.
 */
final class Reloads {

    private Reloads() {}

    static void onSighup(Gateway gateway, PrintWriter err) {
        try {
            Signal.handle(new Signal("HUP"), signal -> Thread.ofPlatform().name("sluice-sighup").start(() -> {
                try {
                    ReloadResult r = gateway.reload();
                    err.println("sluice: reloaded " + r.file() + ": " + (r.changes().isEmpty() ? "no change"
                            : String.join("; ", r.changes()))
                            + (r.restartRequired().isEmpty() ? "" : "; needs a restart: " + r.restartRequired()));
                } catch (ConfigException e) {
                    err.println("sluice: reload refused, the running configuration is kept:\n" + e.getMessage());
                } catch (RuntimeException e) {
                    err.println("sluice: reload failed: " + e.getMessage());
                }
                err.flush();
            }));
        } catch (IllegalArgumentException e) {
            err.println("sluice: SIGHUP is not available here (" + e.getMessage() + "); use POST /api/v1/config/reload");
            err.flush();
        }
    }
}
