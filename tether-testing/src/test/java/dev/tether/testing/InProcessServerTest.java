package dev.tether.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.Tether;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class InProcessServerTest {
  @Test
  void servesCallsOverAnInMemoryAddressOfItsOwn() {
    try (InProcessServer a = InProcessServer.start(b -> b.export("calc", Calc.class, new Calc.Impl()));
        InProcessServer b = InProcessServer.start(x -> x.export("calc", Calc.class, new Calc.Impl()))) {
      assertThat(a.address()).startsWith("mem:").isNotEqualTo(b.address());
      assertThat(a.server().addresses()).containsExactly(a.address()); // no socket at all
      assertThat(a.get(Calc.class, "calc").add(2, 3)).isEqualTo(5);
      assertThat(b.get(Calc.class, "calc").add(4, 5)).isEqualTo(9);
      assertThat(a.server().stats().callsStarted()).isEqualTo(1);
    }
  }

  @Test
  void closeClosesEveryClientThenTheServer() throws Exception {
    InProcessServer s = InProcessServer.start(b -> b.export("calc", Calc.class, new Calc.Impl()));
    Tether shared = s.client();
    Tether own = s.connect();
    assertThat(own.get(Calc.class, "calc").add(1, 1)).isEqualTo(2);

    s.close();

    assertThat(shared.isOpen()).isFalse();
    assertThat(own.isOpen()).isFalse();
    assertThat(s.server().awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThatThrownBy(s::client).isInstanceOf(IllegalStateException.class);
    s.close(); // idempotent
  }
}
