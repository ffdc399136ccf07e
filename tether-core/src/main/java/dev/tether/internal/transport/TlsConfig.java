package dev.tether.internal.transport;

import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * What a {@link TlsLink} needs to know, resolved from the user's {@code TlsSettings}: the JDK
 * context that holds the keys and the trust, and the two choices the context does not make.
 *
 * @param context keys (this side's certificate, if any) and trust (whom to believe)
 * @param requireClientCertificate on a server: refuse clients without a trusted certificate
 * @param verifyHostname on a client: the server's certificate must name the host connected to
 */
public record TlsConfig(SSLContext context, boolean requireClientCertificate,
    boolean verifyHostname) {
  /** The only protocol Tether speaks over TLS. */
  public static final String PROTOCOL = "TLSv1.3";

  /** Checks the context. */
  public TlsConfig {
    Objects.requireNonNull(context, "context");
  }
}
