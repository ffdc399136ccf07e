package dev.tether.cli;

import dev.tether.OrphanedCall;
import dev.tether.ServerStats;
import dev.tether.Tether;
import dev.tether.TetherAdmin;
import dev.tether.TetherException;
import dev.tether.WorkerHistory;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code tether inspect ADDRESS}: a live server's statistics and orphaned calls. */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = TetherVersion.class,
    description = "Show a live server's calls, connections and orphaned"
    + " calls, and for a launched worker its supervision history (restarts, kills, crashes);"
    + " with --watch, refresh them until Ctrl-C.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "server address, e.g. unix:/path/to/sock or tcp:host:port")
  String address;

  @Mixin
  SecretOptions secret = new SecretOptions();

  @Option(names = "--watch", description = "refresh until Ctrl-C (or --count refreshes)")
  boolean watch;

  @Option(names = "--interval", defaultValue = "1s", converter = DurationConverter.class,
      description = "time between refreshes with --watch, e.g. 500ms, 2s (default ${DEFAULT-VALUE})")
  Duration interval = Duration.ofSeconds(1);

  @Option(names = "--count", defaultValue = "0",
      description = "with --watch, stop after this many refreshes (0: until Ctrl-C)")
  int count;

  @Override
  public Integer call() {
    try (Tether t = Tether.connect(address, secret.options())) {
      TetherAdmin admin = t.get(TetherAdmin.class, TetherAdmin.NAME);
      if (!watch) {
        printOnce(t, admin);
        return 0;
      }
      boolean terminal = System.console() != null;
      for (int n = 1; count <= 0 || n <= count; n++) {
        if (terminal) {
          System.out.print("\033[H\033[2J"); // clear the screen: one frame at a time
        }
        System.out.printf("--- refresh %d at %s (every %s; Ctrl-C stops) ---%n", n,
            LocalTime.now().truncatedTo(ChronoUnit.SECONDS), interval);
        printOnce(t, admin);
        System.out.flush();
        if (count <= 0 || n < count) {
          try {
            Thread.sleep(interval.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break; // asked to stop
          }
        }
      }
    }
    return 0;
  }

  private void printOnce(Tether t, TetherAdmin admin) {
    ServerStats s = admin.stats();
    System.out.printf("server %s%n", address);
    System.out.printf("  connections   %d open, %d accepted%n", s.connections(),
        s.connectionsAccepted());
    System.out.printf("  calls         %d running, %d received%n", s.callsRunning(),
        s.callsStarted());
    System.out.printf("  orphans       %d running, %d ever, %d finished%n", s.orphansRunning(),
        s.orphansTotal(), s.orphansFinished());
    System.out.printf("  refused       %d unauthenticated peers%n", s.authFailures());
    List<OrphanedCall> orphans = admin.orphans();
    for (OrphanedCall o : orphans) {
      System.out.printf("    %-40s running %6d ms, caller left %6d ms ago (%s)%n", o.method(),
          o.running().toMillis(), o.sinceCallerLeft().toMillis(), o.client());
    }
    printWorkerHistory(t);
  }

  /** Parses {@code 500ms}, {@code 2s}, {@code 1m} or an ISO-8601 duration. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String v) {
      String s = v.trim().toLowerCase(java.util.Locale.ROOT);
      Duration d;
      if (s.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      } else if (s.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      } else if (s.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      } else {
        d = Duration.parse(v);
      }
      if (d.toMillis() < 10) {
        throw new CommandLine.TypeConversionException("interval must be at least 10ms: " + v);
      }
      return d;
    }
  }

  /** A launched worker also says how the earlier workers of its handle ended. */
  private static void printWorkerHistory(Tether t) {
    WorkerHistory h;
    try {
      h = t.get(WorkerHistory.class, WorkerHistory.NAME);
    } catch (TetherException notAWorker) {
      return; // a server started by hand: no supervision history
    }
    List<String> earlier = h.earlier();
    System.out.printf("  worker        incarnation %d of its handle (%d restarts before it)%n",
        h.incarnation(), h.incarnation() - 1);
    for (String line : earlier) {
      System.out.printf("    %s%n", line);
    }
  }
}
