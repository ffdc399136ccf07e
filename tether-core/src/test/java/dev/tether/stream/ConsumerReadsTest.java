package dev.tether.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.CancelScope;
import dev.tether.Registration;
import dev.tether.TetherException;
import dev.tether.TetherOptions;
import dev.tether.fixtures.LocalServer;
import dev.tether.fixtures.PatternStream;
import dev.tether.testing.Async;
import dev.tether.testing.Await;
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
 * A result stream's consumer reads the connection itself while it waits for data: every frame it
 * reads still reaches its owner once and in order (other streams, answers of other callers), a
 * consumer waiting for another reader is woken when the connection is free, and a consumer that
 * stops reading, is interrupted, cancelled or closed leaves the connection read by others.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsumerReadsTest {
  private LocalServer<Feeds> served;

  /** Result streams for the tests. */
  public interface Feeds {
    /** {@code size} bytes of {@link PatternStream}. */
    InputStream pattern(long size);

    /** A stream whose source blocks (at most a minute) before its first byte. */
    InputStream stalled();

    /**
     * {@code size} bytes of {@link PatternStream}, once gate {@code gate} opens (at most a minute).
     */
    InputStream gated(int gate, long size);

    /** A small call. */
    int ping(int x);
  }

  static final class Impl implements Feeds {
    final CountDownLatch stalledRead = new CountDownLatch(1);
    final CountDownLatch stalledClosed = new CountDownLatch(1);
    final CountDownLatch[] gates = {new CountDownLatch(1), new CountDownLatch(1)};

    @Override
    public InputStream gated(int gate, long size) {
      return new PatternStream(size) {
        @Override
        protected void beforeRead(long position) {
          try {
            gates[gate].await(1, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
    }

    @Override
    public InputStream pattern(long size) {
      return new PatternStream(size);
    }

    @Override
    public InputStream stalled() {
      return new InputStream() {
        @Override
        public int read() {
          return read(new byte[1], 0, 1);
        }

        @Override
        public int read(byte[] b, int off, int len) {
          stalledRead.countDown();
          try {
            new CountDownLatch(1).await(1, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return -1;
        }

        @Override
        public void close() {
          stalledClosed.countDown();
        }
      };
    }

    @Override
    public int ping(int x) {
      return x + 1;
    }
  }

  private final Impl impl = new Impl();

  private Feeds start(TetherOptions options) {
    served = LocalServer.start("feeds", Feeds.class, impl, b -> b, options);
    return served.proxy();
  }

  @AfterEach
  void stop() {
    if (served != null) {
      served.close();
    }
  }

  private static long crcOf(InputStream in, int readSize) throws Exception {
    CRC32 crc = new CRC32();
    byte[] b = new byte[readSize];
    int n;
    while ((n = in.read(b)) >= 0) {
      crc.update(b, 0, n);
    }
    return crc.getValue();
  }

  /** A thread reading a stream, and what its read throws. */
  private record Reading(Thread thread, CompletableFuture<Throwable> failure) {}

  /**
   * Reads one byte of {@code in} on another thread and returns once that thread reads the
   * connection for it.
   */
  private static Reading readOnAnotherThread(InputStream in) throws InterruptedException {
    AtomicReference<Thread> reader = new AtomicReference<>();
    CompletableFuture<Throwable> failure = Async.thrownBy(() -> {
      reader.set(Thread.currentThread());
      in.read();
    });
    Await.until(() -> reader.get() != null && readingTheConnection(reader.get()),
        "the consumer to read the connection for its stream");
    return new Reading(reader.get(), failure);
  }

  /** Whether {@code t} is reading the connection for its stream. */
  private static boolean readingTheConnection(Thread t) {
    return Arrays.stream(t.getStackTrace())
        .anyMatch(e -> e.getClassName().endsWith("ConsumerReads"));
  }

  @Test
  void consumersOfSeveralStreamsOnOneConnectionEachGetTheirBytesInOrder() throws Exception {
    Feeds feeds = start(TetherOptions.defaults());
    long size = 12L << 20;
    List<CompletableFuture<Long>> readers = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      int readSize = 10_000 + i * 7_777; // odd sizes: chunks are taken apart differently
      readers.add(Async.run(() -> {
        try (InputStream in = feeds.pattern(size)) {
          return crcOf(in, readSize);
        }
      }));
    }
    for (int i = 0; i < 500; i++) {
      assertThat(feeds.ping(i)).isEqualTo(i + 1);
    }
    long expected = PatternStream.checksum(size);
    for (CompletableFuture<Long> r : readers) {
      assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
    }
    // Consumers hand the connection to each other hundreds of times here. One left waiting with
    // nobody reading would wait for the liveness tick (250 ms by default) each time.
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
  }

  /** Whether {@code t} waits for its stream to change while another thread reads. */
  private static boolean waitingForTheConnection(Thread t) {
    return t.getState() == Thread.State.WAITING && Arrays.stream(t.getStackTrace())
        .anyMatch(e -> e.getMethodName().equals("readOrWait"));
  }

  @Test
  void aConsumerWaitingForTheConnectionReadsItOnceTheReaderBeforeItStops() throws Exception {
    Feeds feeds = start(TetherOptions.defaults());
    InputStream a = feeds.gated(0, 1000);
    InputStream b = feeds.gated(1, 1000);
    AtomicReference<Thread> readerOfA = new AtomicReference<>();
    AtomicReference<Thread> readerOfB = new AtomicReference<>();
    CompletableFuture<Integer> firstOfA = Async.run(() -> {
      readerOfA.set(Thread.currentThread());
      return a.read();
    });
    Await.until(() -> readerOfA.get() != null && readingTheConnection(readerOfA.get()),
        "the reader of the first stream to read the connection");
    CompletableFuture<byte[]> allOfB = Async.run(() -> {
      readerOfB.set(Thread.currentThread());
      return b.readAllBytes();
    });
    Await.until(() -> readerOfB.get() != null && waitingForTheConnection(readerOfB.get()),
        "the reader of the second stream to wait");

    impl.gates[0].countDown(); // the first reader gets its byte, steps down and reads no more
    assertThat(firstOfA.get(10, TimeUnit.SECONDS)).isEqualTo(PatternStream.at(0) & 0xff);
    impl.gates[1].countDown(); // only the second reader is left to read its data

    byte[] expected = new byte[1000];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = PatternStream.at(i);
    }
    assertThat(allOfB.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
    a.close();
  }

  @Test
  void aConsumerAwayLongerThanThePingTimeoutKeepsItsConnection() throws Exception {
    Feeds feeds = start(TetherOptions.defaults()
        .withLiveness(Duration.ofMillis(100), Duration.ofMillis(300)));
    long size = 8L << 20;
    try (InputStream in = feeds.pattern(size)) {
      byte[] first = in.readNBytes(1000);
      // Away for longer than a ping's timeout, with a window of data arriving meanwhile: someone
      // else must read the connection (the pongs behind the data), or it is declared dead.
      assertThat(new CountDownLatch(1).await(1500, TimeUnit.MILLISECONDS)).isFalse();
      byte[] rest = in.readAllBytes();
      CRC32 crc = new CRC32();
      crc.update(first);
      crc.update(rest);
      assertThat(crc.getValue()).isEqualTo(PatternStream.checksum(size));
    }
    assertThat(feeds.ping(1)).isEqualTo(2);
  }

  @Test
  void anInterruptedConsumerFailsItsStreamAndLeavesTheConnectionToOthers() throws Exception {
    Feeds feeds = start(TetherOptions.defaults());
    InputStream in = feeds.stalled();
    Reading reading = readOnAnotherThread(in);

    reading.thread().interrupt();

    assertThat(reading.failure().get(10, TimeUnit.SECONDS))
        .isInstanceOf(CallCancelledException.class).hasMessageContaining("interrupted");
    assertThat(impl.stalledClosed.await(10, TimeUnit.SECONDS)).as("the server's source closed")
        .isTrue();
    assertThat(feeds.ping(1)).isEqualTo(2);
    try (InputStream next = feeds.pattern(1 << 20)) {
      assertThat(crcOf(next, 4096)).isEqualTo(PatternStream.checksum(1 << 20));
    }
  }

  @Test
  void cancellingTheScopeStopsAConsumerThatReadsTheConnection() throws Exception {
    Feeds feeds = start(TetherOptions.defaults());
    CancelScope scope = CancelScope.open();
    InputStream in;
    try (Registration r = scope.join()) {
      in = feeds.stalled();
    }
    Reading reading = readOnAnotherThread(in);

    scope.cancel();

    assertThat(reading.failure().get(10, TimeUnit.SECONDS))
        .isInstanceOf(CallCancelledException.class);
    assertThat(impl.stalledClosed.await(10, TimeUnit.SECONDS)).isTrue();
    scope.close();
    assertThat(feeds.ping(1)).isEqualTo(2);
  }

  @Test
  void closingTheStreamFromAnotherThreadStopsItsConsumer() throws Exception {
    Feeds feeds = start(TetherOptions.defaults());
    InputStream in = feeds.stalled();
    Reading reading = readOnAnotherThread(in);

    in.close();

    assertThat(reading.failure().get(10, TimeUnit.SECONDS)).isInstanceOf(TetherException.class)
        .hasMessageContaining("closed");
    assertThat(impl.stalledClosed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(feeds.ping(1)).isEqualTo(2);
  }
}
