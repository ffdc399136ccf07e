package dev.tether.internal.process;

/**
 * How a process ended, in words. On Unix the JDK reports a process killed by signal n as exit
 * code 128 + n (as shells do), so a code in 129..159 names a signal; a process that calls
 * {@code System.exit(137)} itself looks the same, which the wording admits ("killed by SIGKILL"
 * is what such a code almost always means).
 *
 * @param code the exit code
 * @param signal the signal's name ({@code "SIGKILL"}), or null when the code names none
 */
public record ExitStatus(int code, String signal) {
  private static final String[] SIGNALS = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL",
      "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
      "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
      "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",
      "SIGIO", "SIGPWR", "SIGSYS"};

  /** The status of exit code {@code code}. */
  public static ExitStatus of(int code) {
    boolean unix = !System.getProperty("os.name", "").startsWith("Windows");
    int n = code - 128;
    String signal = null;
    if (unix && n > 0 && n < 32) {
      signal = SIGNALS[n];
    } else if (unix && n >= 32 && n < 65) {
      signal = "SIGRTMIN+" + (n - 34 < 0 ? 0 : n - 34);
    }
    return new ExitStatus(code, signal);
  }

  /** "exit code 42" or "exit code 137 (killed by SIGKILL)". */
  @Override
  public String toString() {
    return "exit code " + code + (signal == null ? "" : " (killed by " + signal + ")");
  }
}
