package dev.tether.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bounds that turn an exhausted server into a clear refusal instead of a queue. */
class CallAdmissionTest {
  private final CallAdmission admission = new CallAdmission(4, 3);

  @Test
  void admitsWhileBelowBothBounds() {
    assertThat(admission.refusal(0, 0)).isNull();
    assertThat(admission.refusal(3, 2)).isNull();
  }

  @Test
  void refusesAtTheOrphanCapNamingTheCountAndTheCap() {
    assertThat(admission.refusal(3, 3))
        .startsWith("server exhausted: 3 orphaned calls").contains("the cap is 3")
        .contains("restart");
  }

  @Test
  void refusesWhenLiveCallsFillEveryCallThread() {
    assertThat(admission.refusal(4, 0))
        .isEqualTo("server exhausted: 4 calls are running, the most it runs at once "
            + "(maxCallThreads 4)");
  }

  @Test
  void orphansNeverTakeTheCapacityNewCallsNeed() {
    // two orphans spin on their threads and three calls with callers run: one more fits
    assertThat(admission.refusal(5, 2)).isNull();
    assertThat(admission.refusal(6, 2)).contains("4 calls are running");
  }
}
