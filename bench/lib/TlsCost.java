import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;

/**
 * CPU cost of the JDK's TLS 1.3 engine per GB, by cipher suite and buffer kind (heap vs direct), on one thread,
 * without sockets or Netty: a client engine wraps 16 KiB records, a server engine unwraps them. Thread CPU time
 * (not wall time), so a loaded machine slows it down without changing the figure much.
 *
 * <p>usage: java bench/lib/TlsCost.java KEYSTORE.p12 PASSWORD [GB per case, default 1]
 */
public class TlsCost {
    private static final String[] MODES = {"heap", "direct", "netty", "netty-heap-in"};
    public static void main(String[] args) throws Exception {
        char[] pw = args[1].toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = new java.io.FileInputStream(args[0])) {
            ks.load(in, pw);
        }
        double gb = args.length > 2 ? Double.parseDouble(args[2]) : 1;
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, pw);
        // The client trusts any certificate: this measures record protection, not certificate checks.
        javax.net.ssl.TrustManager trustAll = new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String auth) { }
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String auth) { }
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {trustAll}, new SecureRandom());
        String[] suites = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"};
        var bean = ManagementFactory.getThreadMXBean();
        for (int pass = 0; pass < 2; pass++) { // pass 0 warms the JIT (intrinsics), pass 1 is reported
            for (String suite : suites) {
                for (String mode : MODES) {
                    boolean direct = mode.equals("direct");
                    SSLEngine c = ctx.createSSLEngine("localhost", 1), s = ctx.createSSLEngine();
                    c.setUseClientMode(true);
                    s.setUseClientMode(false);
                    c.setEnabledCipherSuites(new String[] {suite});
                    s.setEnabledCipherSuites(new String[] {suite});
                    handshake(c, s);
                    int pkt = c.getSession().getPacketBufferSize();
                    boolean netty = mode.startsWith("netty");
                    // netty: what SslHandler gives the JDK engine: plaintext in a direct buffer, records wrapped into
                    // heap, records received in a direct buffer (the socket read), plaintext out into direct.
                    // netty-heap-in: the same, but the received records are first copied into a heap buffer.
                    ByteBuffer app = alloc(16 * 1024, direct || netty), net = alloc(pkt, direct),
                            out = alloc(pkt, direct || netty), wire = alloc(pkt, true), heapIn = alloc(pkt, false);
                    long bytes = (long) ((pass == 0 ? 0.3 : gb) * 1e9), done = 0;
                    long t0 = bean.getCurrentThreadCpuTime();
                    while (done < bytes) {
                        app.clear();
                        net.clear();
                        c.wrap(app, net);
                        net.flip();
                        out.clear();
                        ByteBuffer in = net;
                        if (netty) {
                            wire.clear();
                            wire.put(net).flip();
                            in = wire;
                            if (mode.equals("netty-heap-in")) {
                                heapIn.clear();
                                heapIn.put(wire).flip();
                                in = heapIn;
                            }
                        }
                        SSLEngineResult r = s.unwrap(in, out);
                        done += r.bytesProduced();
                    }
                    double cpu = (bean.getCurrentThreadCpuTime() - t0) / 1e9;
                    if (pass == 1) {
                        System.out.printf("%-30s %-13s wrap+unwrap %.3f CPU s per GB%n", suite,
                                mode, cpu / (done / 1e9));
                    }
                }
            }
        }
    }

    static ByteBuffer alloc(int n, boolean direct) {
        return direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
    }

    static void handshake(SSLEngine c, SSLEngine s) throws Exception {
        ByteBuffer empty = ByteBuffer.allocate(0), cs = ByteBuffer.allocate(1 << 17), sc = ByteBuffer.allocate(1 << 17);
        ByteBuffer sink = ByteBuffer.allocate(1 << 17);
        c.beginHandshake();
        s.beginHandshake();
        for (int i = 0; i < 1000; i++) {
            if (done(c) && done(s)) {
                return;
            }
            step(c, empty, cs, sc, sink);
            step(s, empty, sc, cs, sink);
        }
        throw new IllegalStateException("handshake did not finish");
    }

    private static boolean done(SSLEngine e) {
        var st = e.getHandshakeStatus();
        return st == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || st == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine e, ByteBuffer empty, ByteBuffer outbox, ByteBuffer inbox, ByteBuffer sink)
            throws Exception {
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
        e.wrap(empty, outbox);
        inbox.flip();
        e.unwrap(inbox, sink);
        inbox.compact();
        sink.clear();
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
