package dev.tether;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS 1.3 for TCP connections, with the JDK's own TLS: who this side is (its certificate and
 * private key), whom it trusts, and whether the server requires clients to present a certificate
 * (mutual TLS). Give it to a server with {@link TetherServer.Builder#tls} and to a client with
 * {@link TetherOptions#withTls}; the address stays {@code tcp:host:port}.
 *
 * <pre>{@code
 * // server: a certificate and its key, from PEM files (or a KeyStore, or a ready SSLContext)
 * TetherServer.builder().listen("tcp:0.0.0.0:7000")
 *     .tls(TlsSettings.create().identityFromPem(Path.of("server.crt"), Path.of("server.key")))
 *     ...
 * // client: trust the CA that signed it (default: the JDK's trust store)
 * Tether.connect("tcp:calc.example.com:7000", TetherOptions.defaults()
 *     .withTls(TlsSettings.create().trustFromPem(Path.of("ca.crt"))));
 * }</pre>
 *
 * <p>A client verifies that the server's certificate names the host it connects to (as HTTPS
 * does; the host is also sent as SNI); only {@link #insecureWithoutHostnameVerification()} turns
 * that off. A failed handshake fails {@code Tether.connect} with
 * {@link ErrorCode#UNAUTHENTICATED} and a message that says why (not trusted, wrong host, a client
 * certificate required); the server counts it in {@link ServerStats#authFailures()}.
 *
 * <p>Immutable and thread-safe: every method returns a new instance. Key material is read and
 * checked when it is given (so a bad file fails here, not at the first connection); passwords are
 * used at once and not kept.
 */
public final class TlsSettings {
  private static final TlsSettings EMPTY = new TlsSettings(null, null, null, false, true);

  private final KeyManager[] identity; // null: none
  private final TrustManager[] trust; // null: the JDK's default trust store
  private final SSLContext given; // fromSslContext: keys and trust both come from it
  private final boolean requireClientCertificate;
  private final boolean verifyHostname;
  private final SSLContext context;

  private TlsSettings(KeyManager[] identity, TrustManager[] trust, SSLContext given,
      boolean requireClientCertificate, boolean verifyHostname) {
    this.identity = identity;
    this.trust = trust;
    this.given = given;
    this.requireClientCertificate = requireClientCertificate;
    this.verifyHostname = verifyHostname;
    this.context = given != null ? given : build(identity, trust);
  }

  /**
   * Settings with no identity of this side's own, trusting the JDK's default trust store (the
   * public certificate authorities), hostname verification on, no client certificate required.
   * A client that connects to a server with a certificate from a public authority needs nothing
   * more; a server needs an {@link #identity}.
   */
  public static TlsSettings create() {
    return EMPTY;
  }

  /**
   * Settings whose keys and trust come from {@code context} (for key managers of your own, a
   * hardware token, or rotation): it must support TLS 1.3. {@link #requireClientCertificate()} and
   * the hostname choice still apply; identity and trust methods cannot be combined with it.
   *
   * @param context a TLS context, initialized with key and trust managers
   * @throws IllegalArgumentException when the context does not support TLS 1.3
   */
  public static TlsSettings fromSslContext(SSLContext context) {
    Objects.requireNonNull(context, "context");
    if (!Arrays.asList(context.getSupportedSSLParameters().getProtocols()).contains("TLSv1.3")) {
      throw new IllegalArgumentException("the SSLContext (" + context.getProtocol()
          + ") does not support TLS 1.3, the only version Tether speaks");
    }
    return new TlsSettings(null, null, context, false, true);
  }

  /**
   * This side's certificate and private key from {@code keyStore} (PKCS12 or JKS, loaded), whose
   * keys open with {@code password}. On a server, the certificate clients check; on a client, the
   * one it presents to a server that requires client certificates.
   *
   * @param keyStore a loaded key store with a private key and its certificate chain
   * @param password the key's password (used now, not kept)
   * @throws TetherException with {@link ErrorCode#INVALID_CONFIGURATION} when the password does
   *     not open a key or the store holds none
   */
  public TlsSettings identity(KeyStore keyStore, char[] password) {
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(password, "password");
    notGiven("identity");
    try {
      if (!hasKey(keyStore)) {
        throw config("the key store holds no private key with its certificate", null);
      }
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(keyStore, password);
      return new TlsSettings(f.getKeyManagers(), trust, null, requireClientCertificate,
          verifyHostname);
    } catch (GeneralSecurityException e) {
      throw config("cannot use the key store's private key: " + e.getMessage()
          + " (is the password right?)", e);
    }
  }

  /**
   * This side's certificate chain and private key from PEM files: {@code certificateChain} holds
   * this side's certificate first, then any intermediate ones ({@code -----BEGIN CERTIFICATE-----}
   * blocks); {@code privateKey} holds its unencrypted PKCS#8 key ({@code -----BEGIN PRIVATE
   * KEY-----}; convert others with {@code openssl pkcs8 -topk8 -nocrypt}). RSA, EC and EdDSA keys.
   *
   * @param certificateChain PEM file: this side's certificate, then intermediates
   * @param privateKey PEM file: its unencrypted PKCS#8 private key
   * @throws TetherException with {@link ErrorCode#INVALID_CONFIGURATION} when a file cannot be
   *     read or parsed, or the key does not belong to the certificate's algorithm
   */
  public TlsSettings identityFromPem(Path certificateChain, Path privateKey) {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    notGiven("identity");
    Certificate[] chain = readCertificates(certificateChain).toArray(Certificate[]::new);
    PrivateKey key = readPrivateKey(privateKey, chain[0].getPublicKey().getAlgorithm());
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] transientPassword = "in-memory only".toCharArray();
      store.setKeyEntry("tether", key, transientPassword, chain);
      return identity(store, transientPassword);
    } catch (GeneralSecurityException | IOException e) {
      throw config("the private key in " + privateKey + " does not go with the certificate in "
          + certificateChain + ": " + e.getMessage(), e);
    }
  }

  /**
   * Trusts exactly the certificates in {@code trustStore} (loaded): on a client, the authorities
   * that may sign the server's certificate; on a server that requires client certificates, those
   * that may sign clients'. Replaces the JDK's default trust store.
   *
   * @param trustStore a loaded key store of trusted certificates
   * @throws TetherException with {@link ErrorCode#INVALID_CONFIGURATION} when the store cannot be
   *     used
   */
  public TlsSettings trust(KeyStore trustStore) {
    Objects.requireNonNull(trustStore, "trustStore");
    notGiven("trust");
    try {
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(trustStore);
      return new TlsSettings(identity, f.getTrustManagers(), null, requireClientCertificate,
          verifyHostname);
    } catch (GeneralSecurityException e) {
      throw config("cannot use the trust store: " + e.getMessage(), e);
    }
  }

  /**
   * Like {@link #trust(KeyStore)}, with the certificates of a PEM file (one or more
   * {@code -----BEGIN CERTIFICATE-----} blocks, typically your CA).
   *
   * @param caCertificates PEM file of the certificates to trust
   * @throws TetherException with {@link ErrorCode#INVALID_CONFIGURATION} when the file cannot be
   *     read or holds no certificate
   */
  public TlsSettings trustFromPem(Path caCertificates) {
    Objects.requireNonNull(caCertificates, "caCertificates");
    notGiven("trust");
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : readCertificates(caCertificates)) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      return trust(store);
    } catch (GeneralSecurityException | IOException e) {
      throw config("cannot trust the certificates in " + caCertificates + ": " + e.getMessage(),
          e);
    }
  }

  /** Trusts the JDK's default trust store again (the default). */
  public TlsSettings trustJdkDefaults() {
    notGiven("trust");
    return new TlsSettings(identity, null, null, requireClientCertificate, verifyHostname);
  }

  /**
   * On a server: every client must present a certificate that the server's trust (see
   * {@link #trust}) accepts, else its handshake fails and it is refused before anything is read
   * (mutual TLS). The subject of the client's certificate identifies the caller. Ignored by
   * clients.
   */
  public TlsSettings requireClientCertificate() {
    return new TlsSettings(identity, trust, given, true, verifyHostname);
  }

  /**
   * INSECURE, on a client: accepts a trusted certificate whatever host it names. Anyone holding
   * any certificate from an authority you trust can then impersonate the server. Only for tests or
   * for servers reached through addresses their certificates cannot name; prefer a certificate
   * with the right names (subject alternative names may list IP addresses).
   */
  public TlsSettings insecureWithoutHostnameVerification() {
    return new TlsSettings(identity, trust, given, requireClientCertificate, false);
  }

  /** The JDK context made from these settings (or the one given), for keys and trust. */
  public SSLContext sslContext() {
    return context;
  }

  /** True when this side has a certificate of its own (always true for a given context). */
  public boolean hasIdentity() {
    return identity != null || given != null;
  }

  /** True when a server with these settings requires client certificates. */
  public boolean clientCertificateRequired() {
    return requireClientCertificate;
  }

  /** True (the default) when a client checks that the server's certificate names its host. */
  public boolean verifiesHostname() {
    return verifyHostname;
  }

  @Override
  public String toString() {
    return "TlsSettings[" + (given != null ? "given SSLContext" : (identity != null
        ? "identity" : "no identity") + ", " + (trust != null ? "own trust" : "JDK trust"))
        + (requireClientCertificate ? ", client certificate required" : "")
        + (verifyHostname ? "" : ", INSECURE: no hostname verification") + "]";
  }

  private void notGiven(String what) {
    if (given != null) {
      throw new IllegalStateException("these settings take keys and trust from an SSLContext; "
          + "set the " + what + " there");
    }
  }

  private static SSLContext build(KeyManager[] identity, TrustManager[] trust) {
    try {
      SSLContext c = SSLContext.getInstance("TLSv1.3");
      c.init(identity, trust, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw config("this JDK cannot make a TLS 1.3 context: " + e.getMessage(), e);
    }
  }

  private static boolean hasKey(KeyStore store) throws GeneralSecurityException {
    for (String alias : java.util.Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        return true;
      }
    }
    return false;
  }

  private static Collection<? extends Certificate> readCertificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw config(file + " holds no certificate (expected -----BEGIN CERTIFICATE----- blocks)",
            null);
      }
      return certs;
    } catch (IOException e) {
      throw config("cannot read " + file + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw config("cannot parse the certificates in " + file + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey readPrivateKey(Path file, String algorithm) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw config("cannot read " + file + ": " + e, e);
    }
    String begin = "-----BEGIN PRIVATE KEY-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf("-----END PRIVATE KEY-----");
    if (from < 0 || to < from) {
      throw config(file + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----); "
          + "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8", null);
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw config(file + " is not valid PEM: " + e.getMessage(), e);
    }
    String alg = algorithm.equals("Ed25519") || algorithm.equals("Ed448") ? "EdDSA" : algorithm;
    try {
      return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw config("the key in " + file + " is not a " + algorithm + " key like the "
          + "certificate's: " + e.getMessage(), e);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  private static TetherException config(String message, Throwable cause) {
    return new TetherException(ErrorCode.INVALID_CONFIGURATION, "TLS settings: " + message, cause);
  }
}
