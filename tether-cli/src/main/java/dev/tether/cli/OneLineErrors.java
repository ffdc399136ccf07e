package dev.tether.cli;

import dev.tether.TetherException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure of a subcommand into one line on standard error and exit code 1, no stack
 * trace: {@code tether inspect: cannot connect to unix:/tmp/x.sock: ...}. Set the environment
 * variable {@code TETHER_STACKTRACE=1} to get the stack trace as well.
 */
final class OneLineErrors implements IExecutionExceptionHandler {
  /** Exit code of a command that failed. */
  static final int FAILED = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
    cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + describe(e));
    if ("1".equals(System.getenv("TETHER_STACKTRACE"))) {
      e.printStackTrace(cl.getErr());
    }
    cl.getErr().flush();
    return FAILED;
  }

  /** The message in the user's terms: Tether's own message, else the exception and its text. */
  static String describe(Throwable e) {
    if (e instanceof TetherException || e instanceof IllegalArgumentException) {
      return firstLine(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    return firstLine(e.toString());
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
