package dev.tether.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import jdk.jfr.Configuration;
import org.junit.jupiter.api.Test;

/** The JFC settings file shipped in the jar is valid and keeps recording cheap. */
class JfcSettingsTest {
  @Test
  void theShippedSettingsRecordSlowCallsEveryCancelAndEveryWorkerStepWithoutStacks()
      throws Exception {
    Configuration c;
    try (Reader r = new InputStreamReader(JfcSettingsTest.class.getResourceAsStream(
        "/dev/tether/tether.jfc"), StandardCharsets.UTF_8)) {
      c = Configuration.create(r);
    }
    Map<String, String> s = c.getSettings();
    assertThat(s).containsEntry("dev.tether.ClientCall#threshold", "1 ms")
        .containsEntry("dev.tether.ServerCall#threshold", "1 ms")
        .containsEntry("dev.tether.Cancel#threshold", "0 ms")
        .containsEntry("dev.tether.Worker#enabled", "true");
    assertThat(s.entrySet().stream().filter(e -> e.getKey().endsWith("#stackTrace")))
        .hasSize(4).allSatisfy(e -> assertThat(e.getValue()).isEqualTo("false"));
  }
}
