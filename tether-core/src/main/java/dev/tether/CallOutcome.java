package dev.tether;

/**
 * How one call ended, as a {@link CallListener} and the JFR events see it, on either side.
 * Stable names: metrics and traces may use {@link #tag()} as a label value.
 */
public enum CallOutcome {
  /** The method returned normally (a result, or void). */
  OK,
  /** The method threw, or the call failed with an error answer. */
  ERROR,
  /** The call was cancelled and the server acknowledged it (it stopped in time). */
  CANCELLED,
  /**
   * The caller was released without the server's answer (the grace ran out); on the server, the
   * call finished after its caller had given up (an orphan), so its answer was dropped.
   */
  FORCED,
  /** The call's deadline passed (acknowledged or forced). */
  DEADLINE,
  /** The call was cancelled before its CALL frame was sent: the server never saw it. */
  NOT_SENT,
  /**
   * Refused before dispatch because the server had no capacity (its call limits, a draining
   * server): the method did not run, and a retry later may succeed.
   */
  BUSY,
  /** Refused before dispatch by a policy (the method did not run); a retry will not help. */
  REJECTED,
  /** The connection failed or closed before the call was answered. */
  FAILED;

  /** The lower-case name, for metric labels and event fields ({@code "ok"}, {@code "not_sent"}). */
  public String tag() {
    return TAGS[ordinal()];
  }

  private static final String[] TAGS = names();

  private static String[] names() {
    CallOutcome[] all = values();
    String[] s = new String[all.length];
    for (int i = 0; i < all.length; i++) {
      s[i] = all[i].name().toLowerCase(java.util.Locale.ROOT);
    }
    return s;
  }
}
