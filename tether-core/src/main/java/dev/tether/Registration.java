package dev.tether;

/**
 * Undoes what created it: disables cancellation again, pops a pushed cancel object, or removes a
 * callback. Closing twice has no further effect. Use with try-with-resources.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {
  /** Undoes the registration. Never throws. */
  @Override
  void close();
}
