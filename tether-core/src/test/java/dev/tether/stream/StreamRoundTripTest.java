package dev.tether.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.RemoteException;
import dev.tether.fixtures.LocalServer;
import dev.tether.fixtures.PatternStream;
import dev.tether.fixtures.StreamService;
import dev.tether.internal.stream.StreamLimits;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** InputStream parameters and results of every size that matters, both ways, over a Unix socket. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamRoundTripTest {
  static final int CHUNK = StreamLimits.CHUNK_BYTES;
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

  static long crc(InputStream in) throws Exception {
    CRC32 crc = new CRC32();
    byte[] b = new byte[70_000];
    int n;
    while ((n = in.read(b)) >= 0) {
      crc.update(b, 0, n);
    }
    return crc.getValue();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, CHUNK, CHUNK + 1, StreamLimits.DEFAULT_WINDOW_BYTES + 1})
  void anArgumentStreamArrivesWhole(long size) throws Exception {
    PatternStream source = new PatternStream(size);
    assertThat(service.checksum(source)).isEqualTo(PatternStream.checksum(size));
    assertThat(source.read.get()).isEqualTo(size);
    assertThat(source.closed.await(10, TimeUnit.SECONDS)).as("Tether closes a sent stream").isTrue();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, CHUNK, CHUNK + 1, StreamLimits.DEFAULT_WINDOW_BYTES + 1})
  void aResultStreamArrivesWhole(long size) throws Exception {
    try (InputStream in = service.produce(size)) {
      assertThat(crc(in)).isEqualTo(PatternStream.checksum(size));
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, CHUNK, 3 * StreamLimits.DEFAULT_WINDOW_BYTES + 7})
  void aMethodMayReturnAStreamThatReadsItsArgument(long size) throws Exception {
    try (InputStream in = service.echo(new PatternStream(size))) {
      assertThat(crc(in)).isEqualTo(PatternStream.checksum(size));
    }
  }

  @Test
  void oneHundredMebibytesGoEachWayIntact() throws Exception {
    long size = 100L << 20;
    long expected = PatternStream.checksum(size);
    assertThat(service.checksum(new PatternStream(size))).isEqualTo(expected);
    try (InputStream in = service.produce(size)) {
      assertThat(crc(in)).isEqualTo(expected);
    }
  }

  @Test
  void nullStreamsTravelAsNull() {
    assertThat(service.nothing(null)).isNull();
  }

  @Test
  void aResultStreamThatFailsMidwayThrowsWhereTheDataStops() throws Exception {
    int size = 100_000;
    InputStream in = service.produceThenFail(size);
    byte[] got = new byte[size + 10];
    int total = 0;
    Throwable failure = null;
    try {
      int n;
      while ((n = in.read(got, total, got.length - total)) >= 0) {
        total += n;
      }
    } catch (RuntimeException e) {
      failure = e;
    }
    assertThat(total).isEqualTo(size);
    assertThat(failure).isInstanceOf(RemoteException.class)
        .hasMessageContaining("the source failed after " + size + " bytes");
    for (int i = 0; i < size; i++) {
      if (got[i] != PatternStream.at(i)) {
        throw new AssertionError("byte " + i + " differs");
      }
    }
    assertThatThrownBy(in::read).isInstanceOf(RemoteException.class);
    in.close();
  }

  @Test
  void anArgumentStreamThatFailsMidwayFailsTheServersReadWhereTheDataStops() {
    StreamService.Impl.reset();
    int size = 3 * CHUNK + 5;
    assertThatThrownBy(() -> service.readUntilFailure(new PatternStream(Long.MAX_VALUE, size)))
        .isInstanceOf(RemoteException.class);
    StreamService.Seen seen = StreamService.Impl.LAST.get();
    assertThat(seen.bytes()).isEqualTo(size);
    assertThat(seen.failure()).isInstanceOf(RemoteException.class)
        .hasMessageContaining("the source failed after " + size + " bytes");
  }
}
