package dev.tether.bench;

import dev.tether.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The certificate of the {@code tether-tls} rows: one self-signed EC (P-256) certificate for
 * {@code ip:127.0.0.1}, made by the running JDK's {@code keytool} in a temporary directory for each
 * run (nothing private is checked in). The server JVM reads its key from the file named by the
 * {@value #KEYSTORE_PROPERTY} system property; the client trusts exactly that certificate, with
 * hostname verification on, as a real deployment would.
 */
final class BenchTls {
  /** System property of the server JVM: the PKCS12 file with the server's key. */
  static final String KEYSTORE_PROPERTY = "tether.bench.tlsKeyStore";
  private static final char[] PASSWORD = "bench-only".toCharArray();

  private BenchTls() {}

  /** Makes the key store in a new temporary directory; returns its path. */
  static Path makeKeyStore() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("tether-bench-tls");
    Path store = dir.resolve("server.p12");
    Path java = Path.of(ServerProcess.javaExecutable());
    Process p = new ProcessBuilder(List.of(java.resolveSibling("keytool").toString(),
        "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
        new String(PASSWORD), "-keypass", new String(PASSWORD), "-alias", "server", "-keyalg",
        "EC", "-groupname", "secp256r1", "-dname", "CN=tether bench", "-ext",
        "san=ip:127.0.0.1", "-validity", "2")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("keytool failed: " + out);
    }
    store.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    return store;
  }

  /** The server's settings: the key in {@code store}. */
  static TlsSettings server(Path store) throws IOException, GeneralSecurityException {
    return TlsSettings.create().identity(load(store), PASSWORD);
  }

  /** The client's settings: trust exactly the server's certificate. */
  static TlsSettings client(Path store) throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", load(store).getCertificate("server"));
    return TlsSettings.create().trust(trust);
  }

  private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD);
    }
    return ks;
  }
}
