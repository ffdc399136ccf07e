package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The same-run throughput A/B's smoke version: structure only, no timing claims. */
class ThroughputAbBenchQuickTest {
  private static final Pattern LINE = Pattern.compile(
      "(?m)^TPUTAB ([a-z~@-]+)/([a-z~@-]+) ([0-9.]+) ([0-9.]+) ([0-9.]+)$");

  @Test
  @Timeout(240)
  void quickRunComparesEveryPeerWithRmiAndEachBuildWithTheBaseAfterWarmingEachUp()
      throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    // the base "jar" is this run's own class path: an A/A of the base-jar machinery
    ThroughputAbBench bench = new ThroughputAbBench(List.of("tether-tcp", "rmi"),
        System.getProperty("java.class.path"), 3, 100, 300,
        new PrintStream(progress, true, StandardCharsets.UTF_8));
    assertThat(bench.peers()).containsExactly("tether-tcp", "rmi", "rmi~twin",
        "tether-tcp@base");
    String report = bench.run();
    System.out.println(report);
    Matcher m = LINE.matcher(report);
    List<String> pairs = new ArrayList<>();
    while (m.find()) {
      pairs.add(m.group(1) + "/" + m.group(2));
      double median = Double.parseDouble(m.group(3));
      assertThat(median).as(m.group(1)).isPositive()
          .isBetween(Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)));
    }
    assertThat(pairs).containsExactly("tether-tcp/rmi", "rmi~twin/rmi", "tether-tcp@base/rmi",
        "tether-tcp/tether-tcp@base");
    String log = progress.toString(StandardCharsets.UTF_8);
    int firstRound = log.indexOf("throughput a/b: round 1 of");
    assertThat(firstRound).isPositive();
    for (String peer : bench.peers()) {
      assertThat(log.indexOf("throughput a/b: starting and warming up " + peer + "\n"))
          .as(peer).isBetween(0, firstRound);
    }
  }

  @Test
  @Timeout(240)
  void oneCallerComparesTheGivenPairsByRoundTripAgainstATwinOfTheFloor() throws Exception {
    ThroughputAbBench bench = new ThroughputAbBench(List.of("tether-tcp-nospin", "raw-tcp"),
        null, 3, 100, 300, new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8))
        .callers(1).twin("raw-tcp").pairs("tether-tcp-nospin/raw-tcp,raw-tcp~twin/raw-tcp");
    assertThat(bench.peers()).containsExactly("tether-tcp-nospin", "raw-tcp", "raw-tcp~twin");

    String report = bench.run();
    System.out.println(report);

    for (String key : List.of("TPUTAB", "RTTAB")) {
      Matcher m = Pattern.compile("(?m)^" + key + " ([a-z~@-]+/[a-z~@-]+) ([0-9.]+) ([0-9.]+)"
          + " ([0-9.]+)$").matcher(report);
      List<String> pairs = new ArrayList<>();
      while (m.find()) {
        pairs.add(m.group(1));
        assertThat(Double.parseDouble(m.group(2))).as(key + " " + m.group(1)).isPositive()
            .isBetween(Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)));
      }
      assertThat(pairs).as(key).containsExactly("tether-tcp-nospin/raw-tcp",
          "raw-tcp~twin/raw-tcp");
    }
  }

  @Test
  void refusesPairsOfPeersItDoesNotRunAndATwinOfAnotherSystem() {
    ThroughputAbBench bench = new ThroughputAbBench(List.of("tether-uds", "raw-uds"), null, 1, 1,
        1, System.err);
    assertThatThrownBy(() -> bench.pairs("tether-uds/rmi"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tether-uds/rmi");
    assertThatThrownBy(() -> bench.twin("rmi"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rmi");
  }

  @Test
  void withoutRmiOrABaseJarThereIsNothingToCompare() {
    ThroughputAbBench bench = new ThroughputAbBench(List.of("tether-uds"), null, 1, 1, 1,
        System.err);
    assertThat(bench.peers()).containsExactly("tether-uds");
    assertThat(bench.comparisons()).isEmpty();
  }
}
