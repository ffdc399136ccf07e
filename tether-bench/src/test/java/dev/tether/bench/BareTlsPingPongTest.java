package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The probe's bare-engine ping-pong shakes hands and echoes every message back. */
class BareTlsPingPongTest {
  @Test
  void echoesEachMessageOverTls13() throws Exception {
    Path store = BenchTls.makeKeyStore();
    try (BareTlsPingPong pair = BareTlsPingPong.open(BenchTls.server(store).sslContext(),
        BenchTls.client(store).sslContext(), 64, null)) {
      long[] times = pair.run(200); // run fails on an echo that is not the message sent

      assertThat(times).hasSize(200);
      assertThat(Arrays.stream(times).min().orElseThrow()).isPositive();
    }
  }

  @Test
  void limitsBothEndsToTheGivenSuite() throws Exception {
    Path store = BenchTls.makeKeyStore();
    try (BareTlsPingPong pair = BareTlsPingPong.open(BenchTls.server(store).sslContext(),
        BenchTls.client(store).sslContext(), 64, new String[] {"TLS_AES_128_GCM_SHA256"})) {
      assertThat(pair.run(10)).hasSize(10);
      assertThat(pair.suite()).isEqualTo("TLS_AES_128_GCM_SHA256");
    }
  }
}
