package dev.tether.cli;

import dev.tether.OrphanedCall;
import dev.tether.ServerStats;
import dev.tether.Tether;
import dev.tether.TetherAdmin;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tether stats ADDRESS [--json]}: one snapshot of a live server's counters and orphans. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = TetherVersion.class,
    description = "Print a live server's counters and orphaned calls once,"
    + " as text or as JSON (--json) for scripts and monitoring.")
final class StatsCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "server address, e.g. unix:/path/to/sock or tcp:host:port")
  String address;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @Mixin
  SecretOptions secret = new SecretOptions();

  @Override
  public Integer call() {
    try (Tether t = Tether.connect(address, secret.options())) {
      TetherAdmin admin = t.get(TetherAdmin.class, TetherAdmin.NAME);
      ServerStats s = admin.stats();
      List<OrphanedCall> orphans = admin.orphans();
      System.out.println(json ? toJson(address, s, orphans) : toText(address, s, orphans));
    }
    return 0;
  }

  /** Every counter of {@code s} (all components, so new ones appear without changes here). */
  static String toJson(String address, ServerStats s, List<OrphanedCall> orphans) {
    Json j = new Json().begin().name("address").value(address).name("stats").begin().fields(s)
        .end().name("orphans").beginArray();
    for (OrphanedCall o : orphans) {
      j.begin().name("method").value(o.method()).name("client").value(o.client())
          .name("runningMillis").value(o.running().toMillis())
          .name("sinceCallerLeftMillis").value(o.sinceCallerLeft().toMillis()).end();
    }
    return j.endArray().end().toString();
  }

  static String toText(String address, ServerStats s, List<OrphanedCall> orphans) {
    StringBuilder b = new StringBuilder("server ").append(address).append('\n');
    for (RecordComponent c : ServerStats.class.getRecordComponents()) {
      Object v;
      try {
        v = c.getAccessor().invoke(s);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      b.append(String.format("  %-22s %s%n", c.getName(), v));
    }
    b.append(String.format("  %-22s %d%n", "orphans", orphans.size()));
    for (OrphanedCall o : orphans) {
      b.append(String.format("    %-40s running %6d ms, caller left %6d ms ago (%s)%n",
          o.method(), o.running().toMillis(), o.sinceCallerLeft().toMillis(), o.client()));
    }
    return b.toString().stripTrailing();
  }
}
