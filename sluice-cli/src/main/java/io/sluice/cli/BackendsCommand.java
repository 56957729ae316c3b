package io.sluice.cli;

import io.sluice.client.SluiceClient;
import io.sluice.client.model.Backend;
import io.sluice.client.model.BackendSpec;
import io.sluice.client.model.Route;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice backends ...}: a running gateway's backends through the control API (the SDK). */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"List and change a running gateway's backends through its control API.",
                "Exit codes: 0 done, 1 the API refused or could not be reached, 2 usage error."},
        subcommands = {BackendsCommand.ListBackends.class, BackendsCommand.Weight.class, BackendsCommand.Drain.class,
                BackendsCommand.Enable.class, BackendsCommand.Add.class, BackendsCommand.Remove.class})
final class BackendsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static void table(PrintWriter out, String route, java.util.List<Backend> backends) {
        for (Backend b : backends) {
            out.printf("%-16s %-24s %6d %-9s %-9s %-6s %8d %s%n", route, b.address(), b.weight(), b.adminState(),
                    b.health(), b.usable() ? "yes" : (b.ejected() ? "ejected" : "no"), b.inFlight(),
                    b.pool() == null ? "-" : b.pool().active() + "/" + b.pool().idle() + "/" + b.pool().pending());
        }
    }

    static void header(PrintWriter out) {
        out.printf("%-16s %-24s %6s %-9s %-9s %-6s %8s %s%n", "ROUTE", "ADDRESS", "WEIGHT", "STATE", "HEALTH",
                "USABLE", "INFLIGHT", "POOL(active/idle/pending)");
    }

    /** The common shape of a one-backend change: print the backend after it. */
    abstract static class OneBackend implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Parameters(index = "0", paramLabel = "ROUTE", description = "The route's name.")
        String route;

        @Parameters(index = "1", paramLabel = "ADDRESS", description = "The backend, host:port.")
        String address;

        abstract Backend change(SluiceClient client);

        @Override
        public Integer call() {
            return admin.run(spec.commandLine().getOut(), spec.commandLine().getErr(), (client, out) -> {
                Backend b = change(client);
                if (admin.json) {
                    admin.printJson(out, b);
                } else {
                    header(out);
                    table(out, route, java.util.List.of(b));
                }
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Backends with their live state (every route, or ROUTE's).")
    static final class ListBackends implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Parameters(index = "0", arity = "0..1", paramLabel = "ROUTE", description = "Only this route.")
        String route;

        @Override
        public Integer call() {
            return admin.run(spec.commandLine().getOut(), spec.commandLine().getErr(), (client, out) -> {
                java.util.List<Route> routes = route == null ? client.routes() : java.util.List.of(client.route(route));
                if (admin.json) {
                    admin.printJson(out, routes);
                    return;
                }
                header(out);
                for (Route r : routes) {
                    table(out, r.name(), r.backends());
                }
            });
        }
    }

    @Command(name = "weight", mixinStandardHelpOptions = true, description = "Set a backend's weight (1..1000).")
    static final class Weight extends OneBackend {
        @Parameters(index = "2", paramLabel = "WEIGHT", description = "1..1000.")
        int weight;

        @Override
        Backend change(SluiceClient client) {
            return client.setWeight(route, address, weight);
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true, description = "No new requests to the backend; in-flight ones finish.")
    static final class Drain extends OneBackend {
        @Override
        Backend change(SluiceClient client) {
            return client.drain(route, address);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let a drained backend take requests again.")
    static final class Enable extends OneBackend {
        @Override
        Backend change(SluiceClient client) {
            return client.enable(route, address);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a backend at runtime (in-flight requests finish).")
    static final class Remove extends OneBackend {
        @Override
        Backend change(SluiceClient client) {
            return client.removeBackend(route, address);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a backend to a route at runtime.")
    static final class Add extends OneBackend {
        @Option(names = "--weight", paramLabel = "N", description = "1..1000 (default: the server's, 100).")
        Integer weight;

        @Option(names = "--max-connections", paramLabel = "N", description = "Pool size (default: connection_pool.max_connections).")
        Integer maxConnections;

        @Override
        Backend change(SluiceClient client) {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                throw new IllegalArgumentException("ADDRESS must be host:port, got " + address);
            }
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ADDRESS must be host:port, got " + address);
            }
            return client.addBackend(route, new BackendSpec(host, port, weight, maxConnections));
        }
    }
}
