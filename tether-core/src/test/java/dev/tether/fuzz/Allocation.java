package dev.tether.fuzz;

import java.lang.reflect.Method;

/**
 * Bytes of heap the current thread has allocated, from the JVM's per-thread counter
 * ({@code com.sun.management.ThreadMXBean}). Reached reflectively: test sources compile as part of
 * module {@code dev.tether}, which does not read the management modules; tests run on the class
 * path, where they are visible.
 */
final class Allocation {
  private static final Object THREADS;
  private static final Method CURRENT;

  static {
    try {
      Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
      THREADS = factory.getMethod("getThreadMXBean").invoke(null);
      CURRENT = Class.forName("com.sun.management.ThreadMXBean")
          .getMethod("getCurrentThreadAllocatedBytes");
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Allocation() {}

  /** The current thread's allocation counter; only differences mean anything. */
  static long current() {
    try {
      return (long) CURRENT.invoke(THREADS);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
