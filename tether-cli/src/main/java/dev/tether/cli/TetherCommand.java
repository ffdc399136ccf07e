package dev.tether.cli;

import dev.tether.cli.demo.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tether} command. */
@Command(name = "tether", mixinStandardHelpOptions = true, version = "tether 0.1.0",
    description = "Cancellable calls to Java objects in other processes.",
    subcommands = {TetherCommand.DemoCommand.class, InspectCommand.class, StatsCommand.class})
public final class TetherCommand implements Callable<Integer> {

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new TetherCommand()).execute(args));
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  /** {@code tether demo}. */
  @Command(name = "demo", description = "Launch a worker JVM, call it, cancel calls, shut it down.")
  static final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      new Demo(System.out).run();
      return 0;
    }
  }
}
