package io.sluice.gateway.server;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.sluice.core.config.TlsConfig;
import javax.net.ssl.SSLException;

/** Server TLS contexts from PEM files, offering h2 and http/1.1 through ALPN. */
final class TlsContexts {

    private TlsContexts() {}

    static SslContext server(TlsConfig tls, boolean http2) throws SSLException {
        String[] protocols = http2
                ? new String[] {ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1}
                : new String[] {ApplicationProtocolNames.HTTP_1_1};
        return SslContextBuilder
                .forServer(tls.certificate().toFile(), tls.privateKey().toFile(), tls.keyPassword().orElse(null))
                // the JDK's engine explicitly: Netty picks OpenSSL whenever netty-tcnative is on the classpath (it
                // is, for the tunnel), and the HTTP listeners' TLS is measured and documented on the JDK's
                .sslProvider(SslProvider.JDK)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        protocols))
                .build();
    }
}
