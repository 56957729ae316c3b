package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unthrottled static file goes as one {@code sendfile} region, so its exchange ends when the region is queued,
 * long before the last byte leaves. The connection's timers must still see it as busy: the keep-alive timeout must
 * not cut a download that takes longer than it, and a client that stops reading must still meet the write timeout.
 */
class StaticDownloadTimersTest {

    private static final int BYTES = 32 << 20;

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension();

    @TempDir
    Path root;

    private byte[] data;

    @BeforeEach
    void file() throws IOException {
        data = new byte[BYTES];
        new Random(17).nextBytes(data);
        Files.write(root.resolve("big.bin"), data);
    }

    private Gateway gateway(String topLevel) throws Exception {
        return sluice.startWithRoutes(topLevel + """
                routes:
                  - name: files
                    static:
                      root: %s
                """.formatted(root));
    }

    @Test
    void aDownloadLongerThanTheKeepAliveTimeoutArrivesWhole() throws Exception {
        Gateway gateway = gateway("""
                connection_settings: {keep_alive_timeout: 1s}
                """);
        try (Socket socket = slowReader(gateway)) {
            // Unread for longer than the keep-alive timeout, with most of the file not yet sent: the connection
            // is sending, not idle, and must not be closed under the client.
            Thread.sleep(2500);
            byte[] body = RawResponses.readOk(socket.getInputStream());
            assertThat(body).hasSize(BYTES);
            assertThat(Arrays.equals(body, data)).as("the body arrived intact").isTrue();
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOffAfterTheWriteTimeout() throws Exception {
        Gateway gateway = gateway("""
                timeouts: {write: 1s}
                """);
        try (Socket socket = slowReader(gateway)) {
            // The socket buffers hold a few MB; the rest of the 32 MiB waits on a client that does not read. After
            // the write timeout without progress the gateway gives up: what the client then reads ends short.
            Thread.sleep(3500);
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            long received;
            try {
                received = RawResponses.readOk(in).length;
            } catch (IOException cutOff) {
                received = -1;
            }
            assertThat(received).isLessThan(BYTES);
        }
    }

    /** A client with a small receive buffer that asked for the file and reads nothing yet. */
    private static Socket slowReader(Gateway gateway) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(64 * 1024);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port("http")));
        socket.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return socket;
    }
}
