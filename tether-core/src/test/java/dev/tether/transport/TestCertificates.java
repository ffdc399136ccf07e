package dev.tether.transport;

import dev.tether.TlsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for TLS tests, made by the running JDK's {@code keytool} in a directory the test
 * owns (no private keys are checked in): a CA; certificates it signed for the server ({@code
 * dns:localhost, ip:127.0.0.1}), for a wrong host ({@code dns:wrong.example} only) and for a
 * client; and a second, untrusted CA with a server certificate of its own ({@code ip:127.0.0.1}).
 * EC keys: quick to make and to use.
 */
final class TestCertificates {
  static final String SERVER = "server";
  static final String WRONG_HOST = "wronghost";
  static final String CLIENT = "client";
  static final String UNTRUSTED = "untrusted";
  static final char[] PASSWORD = "changeit".toCharArray();

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** Makes every certificate in {@code dir} (about two keytool runs' time: they run in parallel). */
  static TestCertificates generate(Path dir) throws Exception {
    TestCertificates c = new TestCertificates(dir);
    c.run(List.of(
        c.keytool("ca.p12", "ca", "CN=Tether Test CA", "bc:c", null),
        c.keytool("rogue.p12", "rogue", "CN=Untrusted CA", "bc:c", null)));
    for (String s : List.of(SERVER, WRONG_HOST, CLIENT)) {
      Files.copy(dir.resolve("ca.p12"), dir.resolve(s + ".p12"));
    }
    Files.copy(dir.resolve("rogue.p12"), dir.resolve(UNTRUSTED + ".p12"));
    c.run(List.of(
        c.keytool(SERVER + ".p12", SERVER, "CN=localhost", "san=dns:localhost,ip:127.0.0.1", "ca"),
        c.keytool(WRONG_HOST + ".p12", WRONG_HOST, "CN=wrong.example", "san=dns:wrong.example",
            "ca"),
        c.keytool(CLIENT + ".p12", CLIENT, "CN=test client,O=Tether Tests", null, "ca"),
        c.keytool(UNTRUSTED + ".p12", UNTRUSTED, "CN=localhost", "san=dns:localhost,ip:127.0.0.1",
            "rogue")));
    return c;
  }

  /**
   * Only the CA and the server's certificate (two keytool runs instead of six), for a test
   * that needs no more, such as one in a JVM of its own.
   */
  static TestCertificates generateServerOnly(Path dir) throws Exception {
    TestCertificates c = new TestCertificates(dir);
    c.run(List.of(c.keytool("ca.p12", "ca", "CN=Tether Test CA", "bc:c", null)));
    Files.copy(dir.resolve("ca.p12"), dir.resolve(SERVER + ".p12"));
    c.run(List.of(
        c.keytool(SERVER + ".p12", SERVER, "CN=localhost", "san=dns:localhost,ip:127.0.0.1", "ca")));
    return c;
  }

  /** A key store with only {@code alias}'s key and chain (leaf, then its CA). */
  KeyStore identity(String alias) throws Exception {
    KeyStore all = load(alias + ".p12");
    KeyStore one = KeyStore.getInstance("PKCS12");
    one.load(null, null);
    one.setKeyEntry(alias, all.getKey(alias, PASSWORD), PASSWORD, all.getCertificateChain(alias));
    return one;
  }

  /** A trust store with the (trusted) test CA only. */
  KeyStore caTrust() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("ca", load("ca.p12").getCertificate("ca"));
    return ks;
  }

  /** The test CA's certificate as a PEM file. */
  Path caPem() throws Exception {
    return writePem("ca.pem", List.of(load("ca.p12").getCertificate("ca")));
  }

  /** {@code alias}'s certificate chain as a PEM file. */
  Path chainPem(String alias) throws Exception {
    return writePem(alias + "-chain.pem", List.of(load(alias + ".p12").getCertificateChain(alias)));
  }

  /** {@code alias}'s private key as an unencrypted PKCS#8 PEM file. */
  Path keyPem(String alias) throws Exception {
    PrivateKey key = (PrivateKey) load(alias + ".p12").getKey(alias, PASSWORD);
    Path file = dir.resolve(alias + "-key.pem");
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
    return file;
  }

  /** A ready TLS 1.3 context: {@code alias}'s identity (or none) and trust in the test CA. */
  SSLContext context(String alias) throws Exception {
    KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    km.init(identity(alias), PASSWORD);
    TrustManagerFactory tm =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tm.init(caTrust());
    SSLContext c = SSLContext.getInstance("TLSv1.3");
    c.init(km.getKeyManagers(), tm.getTrustManagers(), null);
    return c;
  }

  /** Server settings with {@code alias}'s identity, trusting the test CA (for client certs). */
  TlsSettings server(String alias) throws Exception {
    return TlsSettings.create().identity(identity(alias), PASSWORD).trust(caTrust());
  }

  /** Client settings trusting the test CA, with no identity of its own. */
  TlsSettings client() throws Exception {
    return TlsSettings.create().trust(caTrust());
  }

  private KeyStore load(String file) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(dir.resolve(file))) {
      ks.load(in, PASSWORD);
    }
    return ks;
  }

  private Path writePem(String name, List<Certificate> certs) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (Certificate c : certs) {
      sb.append("-----BEGIN CERTIFICATE-----\n")
          .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(c.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    Path file = dir.resolve(name);
    Files.writeString(file, sb.toString(), StandardCharsets.US_ASCII);
    return file;
  }

  private List<String> keytool(String store, String alias, String dname, String ext,
      String signer) {
    List<String> cmd = new ArrayList<>(List.of(keytoolPath(), "-genkeypair", "-keystore",
        dir.resolve(store).toString(), "-storetype", "PKCS12", "-storepass",
        new String(PASSWORD), "-keypass", new String(PASSWORD), "-alias", alias, "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", dname, "-validity", "2"));
    if (ext != null) {
      cmd.addAll(List.of("-ext", ext));
    }
    if (signer != null) {
      cmd.addAll(List.of("-signer", signer, "-signerkeypass", new String(PASSWORD)));
    }
    return cmd;
  }

  private void run(List<List<String>> commands) throws Exception {
    List<Process> started = new ArrayList<>();
    for (List<String> cmd : commands) {
      started.add(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }
    for (int i = 0; i < started.size(); i++) {
      Process p = started.get(i);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("keytool failed: " + commands.get(i) + "\n" + out);
      }
    }
  }

  /** The keytool beside the running java (the JDK that runs the tests). */
  private static String keytoolPath() {
    Path java = ProcessHandle.current().info().command().map(Path::of)
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    Path keytool = java.resolveSibling("keytool");
    return Files.isExecutable(keytool) ? keytool.toString()
        : Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }
}
