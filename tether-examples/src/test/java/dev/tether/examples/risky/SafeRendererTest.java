package dev.tether.examples.risky;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.examples.risky.SafeRenderer.Status;
import dev.tether.testing.Fault;
import dev.tether.testing.Faults;
import dev.tether.testing.TetherExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The application's timeout and error handling, tested with the testing kit: the library runs in
 * this JVM behind the in-memory transport, and its slow, hung and failing behaviour is scripted.
 */
@Timeout(60)
class SafeRendererTest {
  /**
   * Long enough that the call reaches the library before it runs out even on a loaded machine (a
   * cancel that overtakes its call skips the method, and the library never sees it).
   */
  static final Duration TIMEOUT = Duration.ofSeconds(1);

  final Faults<Renderer> library = Faults.around(Renderer.class, new NativeRenderer());

  @RegisterExtension
  final TetherExtension tether = TetherExtension.serving("renderer", Renderer.class,
      library.proxy());

  SafeRenderer renderer() {
    return new SafeRenderer(tether.get(Renderer.class), TIMEOUT);
  }

  @AfterEach
  void release() {
    library.releaseAll();
  }

  @Test
  void aQuickRenderingSucceeds() {
    SafeRenderer.Outcome o = renderer().render("a short document");
    assertThat(o.status()).isEqualTo(Status.OK);
    assertThat(o.rendering().pages()).isEqualTo(1);
  }

  @Test
  void aHungLibraryTimesOutAndTheLibrarySeesTheCancel() throws Exception {
    Fault render = library.on("render").hang();

    SafeRenderer.Outcome o = renderer().render("anything");

    assertThat(o.status()).isEqualTo(Status.TIMED_OUT);
    assertThat(o.detail()).contains("1000 ms").contains("acknowledged");
    render.awaitCancelSeen();
  }

  @Test
  void aLibraryThatIgnoresTheCancelStillReleasesTheCallerAfterTheGrace() throws Exception {
    Fault render = library.on("render").hangIgnoringCancel();

    long t0 = System.nanoTime();
    SafeRenderer.Outcome o = renderer().render("anything");
    long tookMillis = (System.nanoTime() - t0) / 1_000_000;

    assertThat(o.status()).isEqualTo(Status.TIMED_OUT);
    assertThat(o.detail()).contains("forced");
    assertThat(tookMillis).as("timeout 1 s + the scope's 1 s grace, with slack for load")
        .isLessThan(10_000);
    render.awaitCancelSeen();
    assertThat(render.exited()).as("the library is still stuck: an orphan").isZero();
  }

  @Test
  void aSlowButTimelyRenderingSucceeds() throws Exception {
    library.on("render").delay(Duration.ofMillis(10));
    assertThat(renderer().render("doc").status()).isEqualTo(Status.OK);
  }

  @Test
  void aLibraryErrorIsAFailureNamingIt() {
    library.on("render").fail(new IllegalArgumentException("unsupported font"));
    SafeRenderer.Outcome o = renderer().render("doc");
    assertThat(o.status()).isEqualTo(Status.FAILED);
    assertThat(o.detail()).contains("unsupported font");
  }
}
