package dev.tether.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.Cancellation;
import dev.tether.CancelScope;
import dev.tether.DeadlineExceededException;
import dev.tether.Registration;
import dev.tether.TetherException;
import dev.tether.fixtures.LocalServer;
import dev.tether.fixtures.PatternStream;
import dev.tether.fixtures.StreamService;
import dev.tether.testing.Async;
import dev.tether.testing.Await;
import dev.tether.internal.stream.StreamLimits;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Flow control, early close and cancellation of streams in both directions. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamControlTest {
  static final int CHUNK = StreamLimits.CHUNK_BYTES;
  static final int WINDOW = StreamLimits.DEFAULT_WINDOW_BYTES;
  static LocalServer<StreamService> served;
  static StreamService service;

  @BeforeAll
  static void start() {
    served = LocalServer.start("streams", StreamService.class, new StreamService.Impl());
    service = served.proxy();
  }

  @AfterAll
  static void stop() {
    served.close();
  }

  @BeforeEach
  void resetFixture() {
    StreamService.Impl.reset();
  }

  /** Whether a thread whose name starts with {@code prefix} waits (parked), i.e. for credit. */
  static boolean pumpWaiting(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith(prefix) && t.getState() == Thread.State.WAITING);
  }

  @Test
  void aServerThatReadsSlowlyHoldsTheCallerToOneWindow() throws Exception {
    PatternStream source = new PatternStream(64L << 20);
    CompletableFuture<Long> call = Async.run(() -> service.readOneThenWait(source));
    assertThat(StreamService.Impl.WAITING.await(30, TimeUnit.SECONDS)).isTrue();
    Await.until(() -> source.read.get() >= WINDOW
        && pumpWaiting("tether-stream argument 0 of StreamService.readOneThenWait"),
        "the caller's pump to send a window and wait for credit");

    assertThat(source.read.get()).as("bytes taken from the caller's stream").isEqualTo(WINDOW);

    StreamService.Impl.RELEASE.countDown();
    assertThat(call.get(60, TimeUnit.SECONDS)).isEqualTo(64L << 20);
  }

  @Test
  void aCallerThatReadsSlowlyHoldsTheServerToOneWindow() throws Exception {
    try (InputStream in = service.produce(64L << 20)) {
      assertThat(in.read()).isEqualTo(PatternStream.at(0) & 0xff);
      Await.until(() -> StreamService.Impl.SOURCE.get().read.get() >= WINDOW
          && pumpWaiting("tether-stream the result of StreamService.produce"),
          "the server's pump to send a window and wait for credit");

      assertThat(StreamService.Impl.SOURCE.get().read.get()).isEqualTo(WINDOW);
      assertThat(in.readAllBytes()).hasSize((64 << 20) - 1);
    }
  }

  @Test
  void closingAResultStreamEarlyStopsTheServer() throws Exception {
    InputStream in = service.produce(Long.MAX_VALUE);
    assertThat(in.readNBytes(100_000)).hasSize(100_000);
    in.close();

    StreamService.Impl.ServerSource source = StreamService.Impl.SOURCE.get();
    assertThat(source.closed.await(10, TimeUnit.SECONDS)).as("the server's source closed").isTrue();
    assertThat(source.read.get()).isLessThanOrEqualTo(100_000 + WINDOW);
    assertThatThrownBy(in::read).isInstanceOf(TetherException.class).hasMessageContaining("closed");
    assertThat(service.ping(1)).isEqualTo(2);
  }

  @Test
  void aServerThatReturnsWithoutReadingEverythingStopsTheCaller() throws Exception {
    PatternStream source = new PatternStream(Long.MAX_VALUE);
    assertThat(service.readSome(source, 10)).isEqualTo(10);

    assertThat(source.closed.await(10, TimeUnit.SECONDS)).as("the caller's source closed").isTrue();
    assertThat(source.read.get()).isLessThanOrEqualTo(WINDOW);
  }

  @Test
  void cancellingTheScopeStopsAnArgumentStreamWithinOneChunk() throws Exception {
    PatternStream source = new PatternStream(Long.MAX_VALUE);
    try (CancelScope scope = CancelScope.open()) {
      CompletableFuture<Throwable> call = Async.thrownBy(() -> {
        try (Registration joined = scope.join()) {
          service.readUntilFailure(source);
        }
      });
      Await.until(() -> StreamService.Impl.SERVER_READ.get() >= 2 * WINDOW,
          "2 MiB read by the server");
      scope.cancel();
      // Read once the cancel is made: the sender may finish the chunk it is reading, no more.
      // (Read before it, a preempted test thread let the sender take several chunks meanwhile.)
      long atCancel = source.read.get();

      assertThat(call.get(10, TimeUnit.SECONDS)).isInstanceOf(CallCancelledException.class);
      assertThat(StreamService.Impl.FAILED.await(10, TimeUnit.SECONDS)).isTrue();
      StreamService.Seen seen = StreamService.Impl.LAST.get();
      assertThat(seen.failure()).as("the server's read")
          .isInstanceOf(CallCancelledException.class);
      assertThat(seen.cancelledSeen()).as("Cancellation.isCancelled() in the method").isTrue();
      assertThat(source.closed.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(source.read.get() - atCancel).as("bytes taken after the cancel")
          .isLessThanOrEqualTo(CHUNK);
    }
  }

  @Test
  void cancellingTheScopeStopsAResultStreamAtOnce() throws Exception {
    InputStream in;
    try (CancelScope scope = CancelScope.open()) {
      in = service.produce(Long.MAX_VALUE);
      assertThat(in.readNBytes(2 * WINDOW)).hasSize(2 * WINDOW);
      scope.cancel();
      assertThatThrownBy(in::read).isInstanceOf(CallCancelledException.class)
          .hasMessageContaining("the result of StreamService.produce");
      in.close(); // must not let the connection go unread before the server has stopped
    }
    StreamService.Impl.ServerSource source = StreamService.Impl.SOURCE.get();
    assertThat(source.closed.await(10, TimeUnit.SECONDS)).as("the server's source closed").isTrue();
    assertThat(source.read.get()).isLessThanOrEqualTo(3L * WINDOW + CHUNK);
  }

  /** COM's CoCancelCall for a stream: the thread waiting for a hung worker's data gets back. */
  @Test
  void cancellingTheThreadThatWaitsForAHungResultStreamReleasesItAndStopsTheServer()
      throws Exception {
    InputStream in = service.produceThenHang(2L * WINDOW);
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    Thread reader = Thread.ofPlatform().name("stream-reader").start(() -> {
      try (Registration enabled = Cancellation.enable()) {
        byte[] b = new byte[CHUNK];
        while (in.read(b) >= 0) {
          // until the hung worker's cancel
        }
        ended.complete(null);
      } catch (Throwable t) {
        ended.complete(t);
      }
    });
    assertThat(StreamService.Impl.WAITING.await(30, TimeUnit.SECONDS)).as("the worker hangs")
        .isTrue();
    Await.until(() -> Cancellation.pendingCall(reader).isPresent(),
        "the reader to wait for the hung worker's data");

    assertThat(Cancellation.cancel(reader, Duration.ofSeconds(30))).isEqualTo(CancelResult.FORCED);

    assertThat(ended.get(10, TimeUnit.SECONDS)).isInstanceOf(CallCancelledException.class)
        .hasMessageContaining("the result of StreamService.produceThenHang");
    assertThat(((CallCancelledException) ended.get()).outcome())
        .isEqualTo(CallCancelledException.Outcome.FORCED);
    StreamService.Impl.RELEASE.countDown(); // the hung read returns: the server sees the reset
    assertThat(StreamService.Impl.SOURCE.get().closed.await(10, TimeUnit.SECONDS))
        .as("the server's source closed").isTrue();
    reader.join(10_000);
    assertThat(Cancellation.pendingCall(reader)).isEmpty();
  }

  @Test
  void aDeadlineStopsAResultStreamMidTransfer() {
    assertThatThrownBy(() -> {
      try (CancelScope scope = CancelScope.withTimeout(Duration.ofMillis(300));
          InputStream in = service.produce(Long.MAX_VALUE)) {
        byte[] b = new byte[CHUNK];
        while (in.read(b) >= 0) {
          // until the deadline
        }
      }
    }).isInstanceOf(DeadlineExceededException.class);
  }

  @Test
  void aDeadlineStopsAnArgumentStreamMidTransfer() throws Exception {
    PatternStream source = new PatternStream(Long.MAX_VALUE);
    assertThatThrownBy(() -> CancelScope.callWithTimeout(Duration.ofMillis(300),
        () -> service.readUntilFailure(source)))
        .isInstanceOf(DeadlineExceededException.class);
    assertThat(source.closed.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void smallCallsKeepFlowingBesideALargeTransfer() throws Exception {
    InputStream big = service.produce(Long.MAX_VALUE);
    AtomicLong got = new AtomicLong();
    AtomicBoolean enough = new AtomicBoolean();
    CompletableFuture<Long> reader = Async.run(() -> {
      byte[] b = new byte[64 * 1024];
      int n;
      while (!enough.get() && (n = big.read(b)) >= 0) {
        got.addAndGet(n);
      }
      return got.get();
    });
    Await.until(() -> got.get() > 4L * WINDOW, "the transfer to be under way");
    long before = got.get();
    for (int i = 0; i < 300; i++) {
      assertThat(service.ping(i)).isEqualTo(i + 1);
    }
    long after = got.get();
    enough.set(true);
    reader.get(30, TimeUnit.SECONDS);
    big.close();
    assertThat(after).as("bytes streamed while the small calls ran").isGreaterThan(before);
  }

  @Test
  void interruptingAReaderCancelsTheStream() throws Exception {
    InputStream in = service.produce(Long.MAX_VALUE);
    in.readNBytes(1000);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> {
        byte[] b = new byte[CHUNK];
        while (in.read(b) >= 0) {
          // until the interrupt is noticed (when no data is waiting)
        }
      }).isInstanceOf(CallCancelledException.class).hasMessageContaining("interrupted");
    } finally {
      Thread.interrupted();
    }
    assertThat(StreamService.Impl.SOURCE.get().closed.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aStreamArgumentOfAnAsyncMethodIsRefusedWhenTheProxyIsMade() {
    assertThatThrownBy(() -> served.client().get(AsyncStreams.class, "streams"))
        .hasMessageContaining("InputStream and Stream parameters are supported in synchronous methods only");
  }

  public interface AsyncStreams {
    java.util.concurrent.CompletableFuture<Long> count(InputStream in);
  }

  static Throwable cause(ExecutionException e) {
    return e.getCause();
  }
}
