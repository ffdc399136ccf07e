package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The same-run hot-cancel A/B's smoke version: structure only, no timing claims. */
class CancelAbBenchQuickTest {
  private static final Pattern LINE = Pattern.compile(
      "(?m)^CANCELAB ([a-z_]+/[a-z0-9.%]+) ([a-z~@-]+)/([a-z~@-]+) (-?[0-9.]+) (-?[0-9.]+)"
          + " (-?[0-9.]+)$");

  @Test
  @Timeout(240)
  void quickRunComparesTheBuildAndTheTwinWithTheSystemForEveryRowAfterWarmingEachUp()
      throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    // the "old" build is this run's own class path: an A/A of the other-build machinery
    CancelAbBench bench = new CancelAbBench(List.of("tether-tcp"),
        Map.of("old", System.getProperty("java.class.path")), 3, 50, 1,
        new PrintStream(progress, true, StandardCharsets.UTF_8));
    assertThat(bench.peers()).containsExactly("tether-tcp", "tether-tcp~twin", "tether-tcp@old");
    String report = bench.run();
    System.out.println(report);
    Matcher m = LINE.matcher(report);
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.group(1) + " " + m.group(2) + "/" + m.group(3));
      double median = Double.parseDouble(m.group(4));
      if (!CancelAbBench.isShare(m.group(1))) { // a share's difference may be 0 or below
        assertThat(median).as(m.group()).isPositive();
      }
      assertThat(median).as(m.group()).isBetween(Double.parseDouble(m.group(5)),
          Double.parseDouble(m.group(6)));
    }
    List<String> expected = new ArrayList<>();
    for (String pair : List.of("tether-tcp/tether-tcp@old", "tether-tcp~twin/tether-tcp")) {
      for (String q : CancelAbBench.QUANTITIES) {
        expected.add(q + " " + pair);
      }
    }
    assertThat(found).containsExactlyElementsOf(expected);
    String log = progress.toString(StandardCharsets.UTF_8);
    int firstRound = log.indexOf("cancel a/b: round 1 of");
    assertThat(firstRound).isPositive();
    for (String peer : bench.peers()) {
      assertThat(log.indexOf("cancel a/b: starting and warming up " + peer + "\n"))
          .as(peer).isBetween(0, firstRound);
    }
  }

  @Test
  void refusesOtherSystemsAndBuildsThatAreNotLabelEqualsJar() {
    assertThatThrownBy(() -> new CancelAbBench(List.of("rmi"), Map.of(), 1, 1, 1, System.err))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rmi");
    assertThatThrownBy(() -> CancelAbBench.parseBuilds("old"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label=jar");
    assertThat(CancelAbBench.parseBuilds("a=x.jar,b=y.jar")).containsExactly(
        Map.entry("a", "x.jar"), Map.entry("b", "y.jar"));
  }
}
