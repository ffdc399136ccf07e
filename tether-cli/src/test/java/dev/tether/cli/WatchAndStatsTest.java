package dev.tether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.Cancellation;
import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.cli.demo.DemoService;
import dev.tether.cli.demo.DemoServiceImpl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code tether inspect --watch} and {@code tether stats [--json]} against a server with an
 * orphaned call (a stubborn call whose caller was released).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WatchAndStatsTest {
  TetherServer server;
  Tether client;

  @BeforeEach
  void serverWithAnOrphan() throws Exception {
    server = TetherServer.builder().export("demo", DemoService.class, new DemoServiceImpl())
        .start();
    client = Tether.connect(server.address());
    DemoService demo = client.get(DemoService.class, "demo");
    int startedBefore = demo.stubbornStarted(); // a count of the whole JVM: earlier tests too
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Thread caller = Thread.ofPlatform().start(() -> {
      try (var r = Cancellation.enable()) {
        outcome.complete(demo.stubbornWork(60_000));
      } catch (Throwable t) {
        outcome.complete(t);
      }
    });
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (demo.stubbornStarted() == startedBefore || Cancellation.pendingCall(caller).isEmpty()) {
      assertThat(System.nanoTime()).as("the stubborn call runs within 30 s").isLessThan(until);
      Thread.sleep(5);
    }
    assertThat(Cancellation.cancel(caller, Duration.ZERO)).isEqualTo(CancelResult.FORCED);
    assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(CallCancelledException.class);
    // The caller is released at once; the server counts the orphan when its CANCEL arrives.
    until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (server.stats().orphansRunning() != 1) {
      assertThat(System.nanoTime()).as("the server sees the orphan within 30 s").isLessThan(until);
      Thread.sleep(5);
    }
  }

  @AfterEach
  void close() {
    client.close();
    server.close(); // ends the stubborn call's connection; its thread ends with the JVM
  }

  @Test
  void watchRefreshesTheCountersAndOrphansTheGivenNumberOfTimes() {
    String out = run("inspect", server.address(), "--watch", "--count", "3", "--interval",
        "20ms");
    Matcher frames = Pattern.compile("(?m)^--- refresh (\\d) at ").matcher(out);
    int n = 0;
    while (frames.find()) {
      n++;
      assertThat(frames.group(1)).isEqualTo(String.valueOf(n));
    }
    assertThat(n).isEqualTo(3);
    for (String frame : out.split("--- refresh ")) {
      if (!frame.isBlank()) {
        assertThat(frame).contains("orphans       1 running")
            .contains("DemoService.stubbornWork");
      }
    }
  }

  @Test
  void statsPrintsEveryCounterAsText() {
    String out = run("stats", server.address());
    assertThat(out).contains("server " + server.address())
        .containsPattern("(?m)^  callsStarted +\\d+$")
        .containsPattern("(?m)^  orphansRunning +1$")
        .contains("DemoService.stubbornWork");
  }

  @Test
  void statsAsJsonIsOneObjectWithNumbersAndTheOrphans() {
    String out = run("stats", server.address(), "--json").strip();
    assertThat(out).startsWith("{\"address\":\"" + server.address() + "\",\"stats\":{")
        .endsWith("]}").doesNotContain("\n")
        .containsPattern("\"callsStarted\":\\d+,")
        .contains("\"orphansRunning\":1,")
        .containsPattern("\"orphans\":\\[\\{\"method\":\"DemoService.stubbornWork\","
            + "\"client\":\"[^\"]*\",\"runningMillis\":\\d+,\"sinceCallerLeftMillis\":\\d+}]");
  }

  @Test
  void jsonStringsAreEscaped() {
    StringBuilder b = new StringBuilder();
    Json.quote(b, "a\"b\\c\nd\te\u0001f\u2028g é");
    assertThat(b.toString()).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028g é\"");
  }

  private static String run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    int code;
    try {
      code = new CommandLine(new TetherCommand()).execute(args);
    } finally {
      System.setOut(saved);
    }
    assertThat(code).as("exit code of %s", String.join(" ", args)).isZero();
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
