package dev.tether.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS 1.3 key updates in the middle of a stream of calls: both ends renew their keys every 2 KiB
 * (the JDK's {@code jdk.tls.keyLimits}, set in a JVM of its own since it is read once per JVM),
 * each asking the peer to renew too, which the peer's reader must answer while writers are busy.
 * Every call must still be answered with its own value.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TlsKeyUpdateTest {
  private static final Pattern UPDATES = Pattern.compile("KeyUpdate: (read|write) key updated");

  @Test
  void callsStreamOnAcrossManyKeyUpdatesAndEveryOneIsAnswered() throws Exception {
    String cp = System.getProperty("java.class.path");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-cp", cp, "-Djavax.net.debug=ssl",
        TlsKeyUpdateMain.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes(); // ends when the process exits
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the child exited").isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    int total = TlsKeyUpdateMain.THREADS * TlsKeyUpdateMain.CALLS_PER_THREAD;
    assertThat(text).as("child output (tail): %s", tail(text))
        .contains("ANSWERED " + total + " of " + total);
    assertThat(p.exitValue()).isZero();
    Matcher m = UPDATES.matcher(text);
    int reads = 0;
    int writes = 0;
    while (m.find()) {
      if (m.group(1).equals("read")) {
        reads++;
      } else {
        writes++;
      }
    }
    // each direction carries over 100 KiB: dozens of updates each way, counted on both ends
    assertThat(writes).as("key updates sent").isGreaterThanOrEqualTo(20);
    assertThat(reads).as("key updates received").isGreaterThanOrEqualTo(20);
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
  }

}
