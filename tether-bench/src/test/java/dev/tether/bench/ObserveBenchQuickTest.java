package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The observability bench's smoke version: structure only, no timing claims. */
class ObserveBenchQuickTest {
  private static final Pattern LINE = Pattern.compile("(?m)^OBSERVE ([a-z_]+) ratio ([0-9.]+)$");

  @Test
  @Timeout(180)
  void quickRunReportsEveryModeAgainstThePlainRoundTrip() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    String report = new ObserveBench(true,
        new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    System.out.println(report);
    Matcher m = LINE.matcher(report);
    int lines = 0;
    while (m.find()) {
      lines++;
      assertThat(Double.parseDouble(m.group(2))).as(m.group(1)).isPositive();
    }
    assertThat(lines).isEqualTo(ObserveBench.Mode.values().length + 1);
    assertThat(report).contains("| JFR: every call recorded (threshold 0) |")
        .contains("| plain (JFR loaded, nothing recorded) |");
  }

  @Test
  @Timeout(180)
  void everyModeIsWarmedUpInItsOwnSettingBeforeItsFirstTimedRound() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    new ObserveBench(true, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    String log = progress.toString(StandardCharsets.UTF_8);
    int firstRound = log.indexOf("observe bench: round 1 of");
    assertThat(firstRound).isPositive();
    for (ObserveBench.Mode mode : ObserveBench.Mode.values()) {
      String warm = "observe bench: warming up " + mode.name().toLowerCase(Locale.ROOT) + "\n";
      assertThat(log.indexOf(warm)).as(mode.name()).isBetween(0, firstRound);
    }
  }
}
