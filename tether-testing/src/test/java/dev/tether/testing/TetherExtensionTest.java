package dev.tether.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class TetherExtensionTest {
  @RegisterExtension
  static TetherExtension tether = TetherExtension.serving("calc", Calc.class, new Calc.Impl())
      .andServing("other", Calc.class, new Calc.Impl());

  @Test
  void aStaticFieldServesTheWholeClass() {
    assertThat(tether.get(Calc.class, "calc").add(2, 3)).isEqualTo(5);
    assertThat(tether.address()).startsWith("mem:");
    assertThat(tether.client().isOpen()).isTrue();
  }

  @Test
  void getByInterfaceNeedsTheExportToBeUnambiguous() {
    assertThatThrownBy(() -> tether.get(Calc.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[calc, other]");
    assertThatThrownBy(() -> tether.get(Runnable.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing is exported");
  }

  @Test
  void accessorsOutsideTheTestsSayWhy() {
    TetherExtension unregistered = TetherExtension.serving("calc", Calc.class, new Calc.Impl());
    assertThatThrownBy(unregistered::client).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@RegisterExtension");
  }

  /** An instance field: a fresh server for every test, closed after it. */
  @Nested
  class PerTest {
    static final List<InProcessServer> SEEN = new ArrayList<>();

    @RegisterExtension
    TetherExtension fresh = TetherExtension.configuring(
        b -> b.export("calc", Calc.class, new Calc.Impl()));

    @Test
    void first() {
      check();
    }

    @Test
    void second() {
      check();
    }

    private void check() {
      assertThat(fresh.server().server().stats().callsStarted()).isZero();
      assertThat(fresh.get(Calc.class, "calc").add(1, 2)).isEqualTo(3);
      for (InProcessServer earlier : SEEN) {
        assertThat(earlier.server().isShutdown()).as("the previous test's server").isTrue();
      }
      SEEN.add(fresh.server());
    }

    @AfterAll
    static void bothTestsGotTheirOwnServer() {
      assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
    }
  }
}
