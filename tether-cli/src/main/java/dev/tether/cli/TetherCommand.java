package dev.tether.cli;

import dev.tether.cli.demo.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tether} command. */
@Command(name = "tether", mixinStandardHelpOptions = true, versionProvider = TetherVersion.class,
    description = "Cancellable calls to Java objects in other processes.",
    subcommands = {TetherCommand.DemoCommand.class, InspectCommand.class, StatsCommand.class,
        BenchCommand.class})
public final class TetherCommand implements Callable<Integer> {

  /** Creates the command (picocli and {@link #main} do). */
  public TetherCommand() {}

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with every subcommand, and failures reported as one line
   * ({@link OneLineErrors}).
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new TetherCommand());
    cl.setExecutionExceptionHandler(new OneLineErrors());
    return cl;
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  /** {@code tether demo}. */
  @Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = TetherVersion.class,
      description = "Launch a worker JVM, call it, cancel calls (a timeline for each), shut it"
          + " down.")
  static final class DemoCommand implements Callable<Integer> {
    /**
     * Tether's own loggers, held so the level set below stays (JUL keeps loggers weakly). The
     * demo starts and stops a dozen workers; their INFO lines ("worker started", "exited") would
     * interleave with the demo's story on the terminal, so it shows warnings and errors only.
     */
    private static final java.util.logging.Logger TETHER_LOGS =
        java.util.logging.Logger.getLogger("dev.tether");

    @Override
    public Integer call() throws Exception {
      TETHER_LOGS.setLevel(java.util.logging.Level.WARNING);
      new Demo(System.out).run();
      return 0;
    }
  }
}
