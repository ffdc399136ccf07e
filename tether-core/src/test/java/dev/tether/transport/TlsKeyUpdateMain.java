package dev.tether.transport;

import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run by {@link TlsKeyUpdateTest} in a JVM of its own: lowers the TLS key limits so that both
 * ends update their keys (TLS 1.3 KeyUpdate, asking the peer to update too) every couple of
 * kilobytes, then streams calls from several threads over one TLS connection and prints how many
 * were answered correctly ({@code ANSWERED n of m}).
 */
public final class TlsKeyUpdateMain {
  /** Bytes encrypted under one key before the JDK updates it. */
  static final int KEY_LIMIT = 2048;
  static final int THREADS = 4;
  static final int CALLS_PER_THREAD = 150;

  private TlsKeyUpdateMain() {}

  /** Entry point; no arguments. */
  public static void main(String[] args) throws Exception {
    // A security property, read once when the JDK's TLS ciphers load: before any TLS use.
    Security.setProperty("jdk.tls.keyLimits", "AES/GCM/NoPadding KeyUpdate " + KEY_LIMIT
        + ", ChaCha20-Poly1305 KeyUpdate " + KEY_LIMIT);
    Path dir = Files.createTempDirectory("tether-keyupdate");
    TestCertificates certs = TestCertificates.generateServerOnly(dir);
    AtomicInteger answered = new AtomicInteger();
    try (TetherServer server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .listen("tcp:127.0.0.1:0").tls(certs.server(TestCertificates.SERVER)).start();
        Tether client = Tether.connect(server.address(),
            TetherOptions.defaults().withTls(certs.client()))) {
      EchoService echo = client.get(EchoService.class, "echo");
      String payload = "x".repeat(200);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        threads.add(Thread.ofPlatform().start(() -> {
          for (int i = 0; i < CALLS_PER_THREAD; i++) {
            String sent = payload + " " + thread + "/" + i;
            if (sent.equals(echo.echoString(sent))) {
              answered.incrementAndGet();
            }
          }
        }));
      }
      for (Thread t : threads) {
        t.join(60_000);
      }
    }
    System.out.println("ANSWERED " + answered.get() + " of " + THREADS * CALLS_PER_THREAD);
    System.out.flush();
    System.exit(0);
  }
}
