package dev.tether.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.CallCancelledException;
import dev.tether.CancelScope;
import dev.tether.RemoteException;
import dev.tether.fixtures.LocalServer;
import dev.tether.fixtures.TypedStreamService;
import dev.tether.fixtures.TypedStreamService.Item;
import dev.tether.internal.stream.StreamLimits;
import dev.tether.testing.Await;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code Stream<T>} parameters and results: values encoded one by one as they are pulled. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TypedStreamTest {
  static LocalServer<TypedStreamService> served;
  static TypedStreamService service;

  @BeforeAll
  static void start() {
    served = LocalServer.start("typed", TypedStreamService.class, new TypedStreamService.Impl());
    service = served.proxy();
  }

  @AfterAll
  static void stop() {
    served.close();
  }

  @BeforeEach
  void resetFixture() {
    TypedStreamService.Impl.reset();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 100_000})
  void aStreamResultArrivesInOrder(int n) {
    try (Stream<Item> items = service.items(n)) {
      assertThat(items.toList()).isEqualTo(new TypedStreamService.Impl().items(n).toList());
    }
  }

  @Test
  void aStreamArgumentIsSentAsTheServerPullsIt() {
    assertThat(service.sum(IntStream.range(0, 200_000).boxed())).isEqualTo(199_999L * 200_000 / 2);
    assertThat(service.sum(Stream.empty())).isZero();
  }

  @Test
  void aMethodMayTransformAStreamAsItGoes() {
    try (Stream<String> up = service.upper(Stream.of("a", "b", "c"))) {
      assertThat(up.toList()).containsExactly("A", "B", "C");
    }
  }

  @Test
  void theServerProducesOnlyAsFarAsTheCreditAndStopsWhenTheCallerCloses() throws Exception {
    List<Integer> first = new ArrayList<>();
    try (Stream<Integer> numbers = service.countUp()) {
      Iterator<Integer> it = numbers.iterator();
      for (int i = 0; i < 5; i++) {
        first.add(it.next());
      }
      // an Integer takes at least 2 bytes (length and presence byte): one window holds at most
      // this many, plus the one being encoded
      Await.until(() -> TypedStreamService.Impl.PRODUCED.get() > 1000, "production under way");
      long bound = StreamLimits.DEFAULT_WINDOW_BYTES / 2 + 1;
      Await.until(() -> Thread.getAllStackTraces().keySet().stream().anyMatch(t ->
          t.getName().startsWith("tether-stream the result of TypedStreamService.countUp")
          && t.getState() == Thread.State.WAITING), "the server's pump to wait for credit");
      assertThat(TypedStreamService.Impl.PRODUCED.get()).isLessThanOrEqualTo(bound);
    }
    assertThat(first).containsExactly(0, 1, 2, 3, 4);
    assertThat(TypedStreamService.Impl.CLOSED.await(10, TimeUnit.SECONDS))
        .as("the server's Stream closed").isTrue();
  }

  @Test
  void anElementThatFailsReachesTheReaderAfterTheElementsBefore() {
    List<Integer> got = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (Stream<Integer> numbers = service.failAfter(7)) {
        numbers.forEach(got::add);
      }
    }).isInstanceOf(RemoteException.class).hasMessageContaining("failed after 7 elements");
    assertThat(got).containsExactly(0, 1, 2, 3, 4, 5, 6);
  }

  @Test
  void cancellingTheScopeStopsATypedStream() throws Exception {
    assertThatThrownBy(() -> {
      try (CancelScope scope = CancelScope.open(); Stream<Integer> numbers = service.countUp()) {
        numbers.forEach(i -> {
          if (i == 1000) {
            scope.cancel();
          }
        });
      }
    }).isInstanceOf(CallCancelledException.class);
    assertThat(TypedStreamService.Impl.CLOSED.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
