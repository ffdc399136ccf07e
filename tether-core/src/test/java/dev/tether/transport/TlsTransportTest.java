package dev.tether.transport;

import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The transport contract over TCP with TLS 1.3 (server certificate signed by a test CA). */
class TlsTransportTest extends TransportContractTest {
  @TempDir
  static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = TestCertificates.generate(dir);
  }

  @Override
  String listenAddress() {
    return "tcp:127.0.0.1:0";
  }

  @Override
  TetherServer.Builder configure(TetherServer.Builder server) {
    try {
      return server.tls(certs.server(TestCertificates.SERVER));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  Tether connect() {
    try {
      return Tether.connect(server.address(), TetherOptions.defaults().withTls(certs.client()));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
