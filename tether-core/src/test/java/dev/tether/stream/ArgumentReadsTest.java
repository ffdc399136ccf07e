package dev.tether.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.CancelScope;
import dev.tether.Cancellation;
import dev.tether.Registration;
import dev.tether.RemoteException;
import dev.tether.TetherAdmin;
import dev.tether.TetherException;
import dev.tether.TetherOptions;
import dev.tether.fixtures.LocalServer;
import dev.tether.fixtures.PatternStream;
import dev.tether.testing.Async;
import dev.tether.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server method reading an argument stream reads the connection itself while it waits for data:
 * every frame it reads still reaches its owner once and in order (other uploads, calls, cancels),
 * calls arriving meanwhile are served without waiting for the method's data, a method waiting for
 * another method's lead is woken when the connection is free, and a method that stops reading, is
 * cancelled or loses its client leaves the connection read by others.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ArgumentReadsTest {
  private LocalServer<Sinks> served;

  /** Argument streams for the tests. */
  public interface Sinks {
    /** CRC32 of everything in {@code in}, read {@code readSize} bytes at a time. */
    long crc(InputStream in, int readSize) throws IOException;

    /** Reads one byte, then waits (at most a minute) for gate {@code gate}; then reads the rest. */
    long oneThenRest(InputStream in, int gate) throws IOException;

    /** Reads until the stream ends ("end") or fails (the bytes read before, and the failure). */
    String readUntilFailure(InputStream in);

    /** A small call. */
    int ping(int x);

    /** Waits (at most a minute) until cancelled; true when it saw the cancel. */
    boolean awaitCancel();
  }

  static final class Impl implements Sinks {
    final AtomicReference<Thread> reading = new AtomicReference<>();
    final CountDownLatch[] gates = {new CountDownLatch(1), new CountDownLatch(1)};
    final CountDownLatch oneRead = new CountDownLatch(1);
    final CountDownLatch awaiting = new CountDownLatch(1);
    final CountDownLatch cancelSeen = new CountDownLatch(1);
    final CompletableFuture<String> seen = new CompletableFuture<>();

    @Override
    public long crc(InputStream in, int readSize) throws IOException {
      reading.set(Thread.currentThread());
      CRC32 crc = new CRC32();
      byte[] b = new byte[readSize];
      int n;
      while ((n = in.read(b)) >= 0) {
        crc.update(b, 0, n);
      }
      return crc.getValue();
    }

    @Override
    public long oneThenRest(InputStream in, int gate) throws IOException {
      long n = in.read() < 0 ? 0 : 1;
      oneRead.countDown();
      try {
        gates[gate].await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return n + in.transferTo(OutputStreams.NULL);
    }

    @Override
    public String readUntilFailure(InputStream in) {
      reading.set(Thread.currentThread());
      String what;
      long n = 0;
      try {
        while (in.read() >= 0) {
          n++;
        }
        what = "end";
      } catch (IOException | RuntimeException e) {
        what = n + " " + e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      seen.complete(what);
      return what;
    }

    @Override
    public int ping(int x) {
      return x + 1;
    }

    @Override
    public boolean awaitCancel() {
      try (Registration r = Cancellation.onCancel(cancelSeen::countDown)) {
        awaiting.countDown();
        cancelSeen.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Cancellation.throwIfCancelled();
      return false;
    }
  }

  /** Null sink for {@link Impl#oneThenRest}. */
  private static final class OutputStreams {
    static final java.io.OutputStream NULL = java.io.OutputStream.nullOutputStream();
  }

  /** A source that blocks (at most a minute, or until released) before its first byte. */
  private static final class StalledSource extends InputStream {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0];
    }

    @Override
    public int read(byte[] b, int off, int len) {
      try {
        release.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return -1;
    }
  }

  private final Impl impl = new Impl();

  private Sinks start(TetherOptions options) {
    served = LocalServer.start("sinks", Sinks.class, impl, b -> b, options);
    return served.proxy();
  }

  @AfterEach
  void stop() {
    if (served != null) {
      served.close();
    }
  }

  /** Whether {@code t} is reading the connection for its argument stream. */
  private static boolean readingTheConnection(Thread t) {
    return Arrays.stream(t.getStackTrace())
        .anyMatch(e -> e.getClassName().endsWith("ArgumentReads"));
  }

  /**
   * Starts {@code sinks.readUntilFailure} on a stalled upload, in {@code scope} unless null, and
   * waits until the method reads the connection.
   */
  private CompletableFuture<String> stalledUpload(Sinks sinks, StalledSource source,
      CancelScope scope) throws Exception {
    CompletableFuture<String> result = Async.run(() -> {
      if (scope == null) {
        return sinks.readUntilFailure(source);
      }
      try (Registration r = scope.join()) {
        return sinks.readUntilFailure(source);
      }
    });
    Await.until(() -> impl.reading.get() != null && readingTheConnection(impl.reading.get()),
        "the method to read the connection for its argument stream");
    return result;
  }

  @Test
  void methodsReadingSeveralUploadsOnOneConnectionEachGetTheirBytesInOrder() throws Exception {
    Sinks sinks = start(TetherOptions.defaults());
    long size = 12L << 20;
    List<CompletableFuture<Long>> uploads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      int readSize = 10_000 + i * 7_777; // odd sizes: chunks are taken apart differently
      uploads.add(Async.run(() -> sinks.crc(new PatternStream(size), readSize)));
    }
    for (int i = 0; i < 500; i++) {
      assertThat(sinks.ping(i)).isEqualTo(i + 1);
    }
    long expected = PatternStream.checksum(size);
    for (CompletableFuture<Long> u : uploads) {
      assertThat(u.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
    }
    // Methods hand the connection to each other and to the reader thread hundreds of times here;
    // one left waiting with nobody reading would stall its upload for good.
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void callsArrivingWhileAMethodReadsTheConnectionAreServed() throws Exception {
    Sinks sinks = start(TetherOptions.defaults());
    StalledSource source = new StalledSource();
    CompletableFuture<String> upload = stalledUpload(sinks, source, null);

    // Small calls (which a method reading sends to call threads), calls to the admin object
    // (which run inline on the reader thread: the method hands the lead back to it), and a cancel
    // of another call, all read while the method leads.
    for (int i = 0; i < 2000; i++) {
      assertThat(Async.run(() -> sinks.ping(7)).get(10, TimeUnit.SECONDS)).isEqualTo(8);
    }
    TetherAdmin admin = served.client().get(TetherAdmin.class, TetherAdmin.NAME);
    for (int i = 0; i < 20; i++) {
      Await.until(() -> readingTheConnection(impl.reading.get()),
          "the method to read the connection again");
      assertThat(Async.run(admin::stats).get(10, TimeUnit.SECONDS)).isNotNull();
    }
    try (CancelScope scope = CancelScope.open()) {
      CompletableFuture<Throwable> blocked = Async.thrownBy(() -> {
        try (Registration r = scope.join()) {
          sinks.awaitCancel();
        }
      });
      Await.until(() -> impl.awaiting.getCount() == 0 && readingTheConnection(impl.reading.get()),
          "the other call to run and the method to read the connection again");
      scope.cancel();
      assertThat(blocked.get(10, TimeUnit.SECONDS)).isInstanceOf(CallCancelledException.class);
      assertThat(impl.cancelSeen.await(10, TimeUnit.SECONDS)).as("the server saw the cancel")
          .isTrue();
    }
    assertThat(upload).isNotDone();

    source.release.countDown(); // the upload ends
    assertThat(upload.get(10, TimeUnit.SECONDS)).isEqualTo("end");
    assertThat(sinks.ping(1)).isEqualTo(2);
  }

  @Test
  void aMethodThatStopsReadingLeavesTheConnectionToOthers() throws Exception {
    Sinks sinks = start(TetherOptions.defaults());
    long size = 8L << 20;
    // The first method reads a byte and stops, with a window of its data arriving meanwhile.
    CompletableFuture<Long> first = Async.run(() -> sinks.oneThenRest(new PatternStream(size), 0));
    assertThat(impl.oneRead.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(sinks.crc(new PatternStream(size), 65536)).isEqualTo(PatternStream.checksum(size));
    assertThat(sinks.ping(1)).isEqualTo(2);

    impl.gates[0].countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(size);
  }

  @Test
  void cancellingTheCallStopsAMethodThatReadsTheConnection() throws Exception {
    Sinks sinks = start(TetherOptions.defaults());
    StalledSource source = new StalledSource();
    try (CancelScope scope = CancelScope.open()) {
      CompletableFuture<String> upload = stalledUpload(sinks, source, scope);

      scope.cancel();

      assertThat(impl.seen.get(10, TimeUnit.SECONDS)).contains("CallCancelledException");
      upload.exceptionally(e -> null).get(10, TimeUnit.SECONDS); // the call is over, either way
    }
    assertThat(sinks.ping(1)).isEqualTo(2);
    assertThat(sinks.crc(new PatternStream(1 << 20), 4096))
        .isEqualTo(PatternStream.checksum(1 << 20));
  }

  @Test
  void aMethodReadingTheConnectionLearnsAtOnceThatItsClientLeft() throws Exception {
    Sinks sinks = start(TetherOptions.defaults());
    StalledSource source = new StalledSource();
    CompletableFuture<String> upload = stalledUpload(sinks, source, null);

    served.client().close();

    assertThat(impl.seen.get(10, TimeUnit.SECONDS)).contains("disconnected");
    assertThat(Async.thrownBy(() -> upload.join()).get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TetherException.class); // the client's call failed with its connection
    source.release.countDown();
  }

  @Test
  void aFailedUploadReadsAsAnErrorWhereItsDataStops() throws Exception {
    Sinks sinks = start(TetherOptions.defaults());
    InputStream failing = new PatternStream(3L << 20, 2L << 20);
    String seen = sinks.readUntilFailure(failing);
    assertThat(seen).startsWith((2L << 20) + " " + RemoteException.class.getSimpleName())
        .contains("the source failed");
  }
}
