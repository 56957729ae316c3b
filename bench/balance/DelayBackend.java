// bench/balance's backends: one JVM serving several loopback ports, each answering every request with a small
// body after its own fixed delay. Run with the source launcher: java DelayBackend.java 18201:2 18202:2 18203:22
// (port:delay-ms). Requests are handled on virtual threads, so a delay holds no platform thread.
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

public class DelayBackend {
    public static void main(String[] args) throws Exception {
        for (String spec : args) {
            String[] parts = spec.split(":");
            int port = Integer.parseInt(parts[0]);
            long delayMs = Long.parseLong(parts[1]);
            byte[] body = ("backend " + port + " (+" + delayMs + " ms)\n").getBytes(StandardCharsets.US_ASCII);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    if (delayMs > 0) {
                        Thread.sleep(delayMs);
                    }
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
        }
        System.out.println("ready");
        Thread.currentThread().join();
    }
}
