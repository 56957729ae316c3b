package io.sluice.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.Gateway;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tunnel server's frame limits, seen from a raw HTTP/2 client on the wire. */
class TunnelFramingTest {

    private static final int FRAME_SIZE_ERROR = 0x6;
    private static final int SETTINGS_ENABLE_CONNECT_PROTOCOL = 0x8;
    private static final int SETTINGS_MAX_FRAME_SIZE = 0x5;

    @TempDir
    static Path certDir;
    static TestCertificates certs;
    private Gateway server;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create(certDir);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void advertisesExtendedConnectAndRejectsAFrameAboveMaxFrameWithFrameSizeError() throws Exception {
        server = Gateway.start(ConfigLoader.parse("""
                server: {workers: 1, drain_timeout: 0s, listeners: [{name: http, host: 127.0.0.1, port: 0}]}
                admin: {port: 0}
                tunnel:
                  role: server
                  listen: {host: 127.0.0.1, port: 0}
                  tls: {cert: %s, key: %s}
                  tokens: [%s]
                  allow: ["127.0.0.1:*"]
                  max_frame: 64KiB
                  chunk_bytes: 16KiB
                """.formatted(certs.serverCert(), certs.serverKey(), TunnelGateways.TOKEN), "test"));
        int port = server.localAddress(Gateway.TUNNEL_SERVER_LISTENER).getPort();
        try (SSLSocket socket = (SSLSocket) sslContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            SSLParameters p = socket.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(p);
            socket.startHandshake();
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            frame(out, 0, 0x4, 0, 0, new byte[0]); // our (empty) SETTINGS
            out.flush();

            // The server's SETTINGS: extended CONNECT on (RFC 8441), max frame as configured.
            Frame settings = next(in);
            while (settings.type != 0x4 || (settings.flags & 0x1) != 0) {
                settings = next(in);
            }
            assertThat(setting(settings.payload, SETTINGS_ENABLE_CONNECT_PROTOCOL)).isEqualTo(1);
            assertThat(setting(settings.payload, SETTINGS_MAX_FRAME_SIZE)).isEqualTo(64 * 1024);
            frame(out, 0, 0x4, 0x1, 0, new byte[0]); // ACK: from now on the server enforces its max frame
            out.flush();

            // A PING is harmless; a frame one byte over the limit ends the connection. The header alone is enough:
            // the server refuses on the length field without reading (or buffering) the payload.
            frame(out, 8, 0x6, 0, 0, new byte[8]);
            byte[] header = {0x01, 0x00, 0x01, 0x0, 0x0, 0, 0, 0, 1}; // length 65537, DATA, stream 1
            out.write(header);
            out.flush();
            Frame goAway = next(in);
            while (goAway.type != 0x7) {
                goAway = next(in);
            }
            int error = ((goAway.payload[4] & 0xff) << 24) | ((goAway.payload[5] & 0xff) << 16)
                    | ((goAway.payload[6] & 0xff) << 8) | (goAway.payload[7] & 0xff);
            assertThat(error).isEqualTo(FRAME_SIZE_ERROR);
        }
        assertThat(server.tunnelMetrics().rejectedCount("frame_size_error")).isEqualTo(1);
    }

    private record Frame(int type, int flags, byte[] payload) {}

    private static Frame next(DataInputStream in) throws IOException {
        int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        in.readInt();
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(type, flags, payload);
    }

    private static long setting(byte[] payload, int id) {
        for (int i = 0; i + 6 <= payload.length; i += 6) {
            int key = ((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff);
            if (key == id) {
                return ((payload[i + 2] & 0xffL) << 24) | ((payload[i + 3] & 0xff) << 16)
                        | ((payload[i + 4] & 0xff) << 8) | (payload[i + 5] & 0xff);
            }
        }
        return -1;
    }

    private static void frame(OutputStream out, int length, int type, int flags, int stream, byte[] payload)
            throws IOException {
        out.write(new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type,
                (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
        out.write(payload);
    }

    private static SSLContext sslContext() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(certs.ca())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

}
