package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The same-run JFR A/B's smoke version: structure only, no timing claims. */
class JfrAbBenchQuickTest {
  private static final Pattern LINE = Pattern.compile(
      "(?m)^JFRAB ([a-z_]+) ([0-9.]+) ([0-9.]+) ([0-9.]+)$");

  @Test
  @Timeout(180)
  void quickRunReportsEverySettingAgainstTheJvmWithoutARecordingAfterWarmingEachUp()
      throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    String report = new JfrAbBench(3, 100, 1_000,
        new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    System.out.println(report);
    Matcher m = LINE.matcher(report);
    int lines = 0;
    while (m.find()) {
      lines++;
      double p25 = Double.parseDouble(m.group(3));
      double median = Double.parseDouble(m.group(2));
      double p75 = Double.parseDouble(m.group(4));
      assertThat(median).as(m.group(1)).isPositive().isBetween(p25, p75);
      if (m.group(1).equals("off")) {
        assertThat(median).as("the baseline against itself").isEqualTo(1.0);
      }
    }
    assertThat(lines).isEqualTo(JfrAbPeer.Setting.values().length);
    assertThat(report).contains("| jfr_default |").contains("| off_twin |");
    // every JVM is warmed up before the first timed round (one run for both checks: each run
    // starts a JVM per setting, the slowest part of the bench module's CI)
    String log = progress.toString(StandardCharsets.UTF_8);
    int firstRound = log.indexOf("jfr a/b: round 1 of");
    assertThat(firstRound).isPositive();
    for (JfrAbPeer.Setting s : JfrAbPeer.Setting.values()) {
      assertThat(log.indexOf("jfr a/b: starting and warming up " + s.name().toLowerCase(
          java.util.Locale.ROOT) + "\n")).as(s.name()).isBetween(0, firstRound);
    }
  }

  @Test
  void quantilesInterpolateBetweenSortedValues() {
    double[] v = {1.0, 2.0, 3.0, 4.0, 5.0};
    assertThat(JfrAbBench.quantile(v, 0.5)).isEqualTo(3.0);
    assertThat(JfrAbBench.quantile(v, 0.25)).isEqualTo(2.0);
    assertThat(JfrAbBench.quantile(new double[] {1.0, 2.0}, 0.5)).isEqualTo(1.5);
  }
}
