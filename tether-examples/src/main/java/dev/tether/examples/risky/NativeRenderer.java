package dev.tether.examples.risky;

/**
 * Stands for a native or legacy library that nobody can fix: most documents render in
 * microseconds, a document containing "loop" makes it spin forever without ever checking for
 * cancellation (a C loop cannot), and one containing "crash" kills the process (a segfault).
 * Only ever run it in a worker.
 */
public final class NativeRenderer implements Renderer {
  /** Public no-argument constructor: the worker creates it. */
  public NativeRenderer() {}

  @Override
  public Rendering render(String document) {
    if (document.contains("crash")) {
      Runtime.getRuntime().halt(139); // like SIGSEGV: no shutdown hooks, no answer
    }
    if (document.contains("loop")) {
      long spins = 0;
      while (spins >= 0) { // never checks Cancellation: native code cannot
        spins++;
        Thread.onSpinWait();
      }
    }
    return new Rendering(1 + document.length() / 40, ProcessHandle.current().pid());
  }
}
