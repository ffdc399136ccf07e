package dev.tether.bench;

import dev.tether.Tether;
import dev.tether.TetherServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * One JVM of {@link JfrAbBench}: a server and its client over a Unix socket, with one JFR
 * setting that stays on for the JVM's whole life (started before the server and the warm-up, as
 * a user leaves a recording on), timing blocks of synchronous round trips when told to.
 *
 * <p>Protocol (standard input and output, one line each): after the warm-up it prints
 * {@code READY}; then for each {@code BLOCK n} it times {@code n} round trips and prints
 * {@code P50 nanos}; {@code QUIT} ends it. Single-threaded.
 */
public final class JfrAbPeer {
  /** The JFR setting of one JVM. */
  enum Setting {
    /** No recording ever started: JFR not even loaded. */
    OFF,
    /** The same as {@link #OFF}, in a second JVM: the A/A control of the method's own noise. */
    OFF_TWIN,
    /** A recording with Tether's events disabled: the recorder's own cost. */
    JFR_NONE,
    /** A recording with the shipped {@code tether.jfc} (calls over 1 ms). */
    JFR_DEFAULT,
    /** A recording of every call (threshold 0): what the method must be able to see. */
    JFR_ALL
  }

  private static final List<String> EVENTS = List.of("dev.tether.ClientCall",
      "dev.tether.ServerCall", "dev.tether.Cancel", "dev.tether.Worker");

  private JfrAbPeer() {}

  /** Entry point: {@code SETTING WARMUP_CALLS}. */
  public static void main(String[] args) throws Exception {
    Setting setting = Setting.valueOf(args[0].toUpperCase(Locale.ROOT));
    int warmup = Integer.parseInt(args[1]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Recording rec = recording(setting);
    if (rec != null) {
      rec.start();
    }
    try (TetherServer server = TetherServer.builder()
            .export("echo", ObserveBench.Echo.class, x -> x).start();
        Tether client = Tether.connect(server.address())) {
      ObserveBench.Echo echo = client.get(ObserveBench.Echo.class, "echo");
      measure(echo, warmup, new Histogram());
      out.println("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.equals("QUIT");
          line = in.readLine()) {
        Histogram h = new Histogram();
        measure(echo, Integer.parseInt(line.substring("BLOCK ".length()).trim()), h);
        out.println("P50 " + h.percentile(50));
      }
    }
    if (rec != null) {
      rec.close();
    }
    System.exit(0);
  }

  /** The recording of {@code setting}, not started, or null for none. */
  static Recording recording(Setting setting) throws Exception {
    switch (setting) {
      case OFF, OFF_TWIN -> {
        return null;
      }
      case JFR_DEFAULT -> {
        try (Reader r = new InputStreamReader(JfrAbPeer.class.getResourceAsStream(
            "/dev/tether/tether.jfc"), StandardCharsets.UTF_8)) {
          return new Recording(Configuration.create(r));
        }
      }
      default -> {
        Recording rec = new Recording();
        for (String e : EVENTS) {
          if (setting == Setting.JFR_NONE) {
            rec.disable(e);
          } else {
            rec.enable(e).withThreshold(Duration.ZERO).withoutStackTrace();
          }
        }
        return rec;
      }
    }
  }

  private static void measure(ObserveBench.Echo echo, int n, Histogram into) {
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      echo.echo(i);
      into.add(System.nanoTime() - t0);
    }
  }
}
