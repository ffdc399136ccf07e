package dev.tether.examples.risky;

/** The risky library's interface, as the application calls it in the worker. */
public interface Renderer {
  /** Renders {@code document}; may hang or take the process down, like native code can. */
  Rendering render(String document);

  /**
   * What a rendering produced.
   *
   * @param pages how many pages
   * @param workerPid the process that rendered it
   */
  record Rendering(int pages, long workerPid) {}
}
