package dev.tether.internal.transport;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Turns the JDK's TLS failures into messages in the user's terms. The classification looks at the
 * types in the cause chain first (a certification path that cannot be built or validated: not
 * trusted; another certificate failure while verifying the host name: wrong host) and only then at
 * the alert the peer sent, whose name the JDK puts in the message ("Received fatal alert:
 * certificate_required"): alerts have no type of their own.
 */
final class TlsErrors {
  private TlsErrors() {}

  /**
   * Why a client's TLS exchange with {@code host} at {@code peer} failed, for the user.
   *
   * @param verifyHostname whether the client checked the host name
   */
  static TlsException client(SSLException e, String peer, String host, boolean verifyHostname) {
    String text = String.valueOf(e.getMessage());
    String why;
    if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class)) {
      why = "the server's certificate is not trusted (no chain to a trusted certificate)";
    } else if (has(e, CertificateException.class)) {
      why = verifyHostname ? "the server's certificate does not match host " + host
          : "the server's certificate was rejected: " + rootMessage(e);
    } else if (text.contains("certificate_required")) {
      why = "the server requires a client certificate (this client has none, or none signed by "
          + "an authority the server trusts)";
    } else if (text.contains("bad_certificate") || text.contains("certificate_unknown")
        || text.contains("unknown_ca") || text.contains("certificate_expired")) {
      why = "the server did not accept this client's certificate (" + text + ")";
    } else if (notTls(text)) {
      why = "the server does not speak TLS (is it a plain TCP server?)";
    } else {
      why = "TLS failed: " + text;
    }
    return new TlsException(why + " [" + peer + "]", e);
  }

  /** Why a server's TLS exchange with a client failed, for its log: no secrets, just the reason. */
  static String server(SSLException e) {
    String text = String.valueOf(e.getMessage());
    if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class)) {
      return "the client's certificate is not trusted";
    }
    if (text.contains("Empty client certificate chain")) {
      return "the client sent no certificate, and one is required";
    }
    if (notTls(text)) {
      return "the client does not speak TLS (a plain TCP client, or garbage)";
    }
    return text;
  }

  /** The JDK's words for bytes that are not TLS records (they vary between versions). */
  private static boolean notTls(String text) {
    return text.contains("nrecognized SSL message") || text.contains("plaintext connection");
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
