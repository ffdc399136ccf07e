package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import org.junit.jupiter.api.Test;

/** What a {@link WorkerSpec} keeps, and what its builder refuses. */
class WorkerSpecTest {
  /** A setup that sets nothing. */
  public static final class NoSetup implements WorkerServerSetup {
    @Override
    public void configure(TetherServer.Builder server) {}
  }

  /** Abstract: the worker could not create it. */
  public abstract static class AbstractSetup implements WorkerServerSetup {}

  private static WorkerSpec.Builder spec() {
    return WorkerSpec.builder().export("echo", EchoService.class, EchoServiceImpl.class);
  }

  @Test
  void aPoolsCopyOfTheSpecKeepsTheServerSetup() {
    WorkerSpec spec = spec().serverSetup(NoSetup.class).build();

    SupervisionPolicy none = SupervisionPolicy.none();
    WorkerSpec pooled = spec.withSupervision(none);

    assertThat(pooled.serverSetup()).contains(NoSetup.class.getName());
    assertThat(pooled.supervision()).isSameAs(none);
  }

  @Test
  void noSetupUnlessOneIsNamed() {
    assertThat(spec().build().serverSetup()).isEmpty();
  }

  @Test
  void anAbstractSetupOrABlankNameIsRefused() {
    assertThatThrownBy(() -> spec().serverSetup(AbstractSetup.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a concrete class");
    assertThatThrownBy(() -> spec().serverSetup(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
