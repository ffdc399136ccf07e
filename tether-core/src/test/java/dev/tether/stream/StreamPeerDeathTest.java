package dev.tether.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.SupervisionPolicy;
import dev.tether.Tether;
import dev.tether.TetherException;
import dev.tether.WorkerSpec;
import dev.tether.fixtures.PatternStream;
import dev.tether.fixtures.StreamService;
import dev.tether.testing.Async;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A worker process that dies in the middle of a stream fails the stream at once, both ways. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamPeerDeathTest {
  Tether worker;
  StreamService service;

  @BeforeEach
  void launch() {
    worker = Tether.launch(WorkerSpec.builder()
        .name("stream-worker")
        .export("streams", StreamService.class, StreamService.Impl.class)
        .jvmArgs("-XX:TieredStopAtLevel=1", "-Xshare:auto")
        .startTimeout(Duration.ofSeconds(60))
        .forwardOutput(false)
        .build());
    service = worker.get(StreamService.class, "streams");
  }

  @AfterEach
  void close() {
    worker.close();
  }

  @Test
  void aWorkerThatDiesWhileSendingFailsTheReadersStream() throws Exception {
    long before = 3L << 20;
    ProcessHandle process = ProcessHandle.of(worker.worker().orElseThrow().pid()).orElseThrow();
    CompletableFuture<Long> exitedAt = process.onExit().thenApply(p -> System.nanoTime());
    InputStream in = service.produceThenHalt(before);
    AtomicLong got = new AtomicLong();
    CompletableFuture<Throwable> reading = Async.thrownBy(() -> {
      byte[] b = new byte[64 * 1024];
      int n;
      while ((n = in.read(b)) >= 0) {
        got.addAndGet(n);
      }
    });

    Throwable t = reading.get(30, TimeUnit.SECONDS);
    long failedAt = System.nanoTime();
    assertThat(TimeUnit.NANOSECONDS.toMillis(failedAt - exitedAt.get(30, TimeUnit.SECONDS)))
        .as("ms from the worker's exit to the reader's exception (no liveness timeout)")
        .isLessThan(5_000);
    assertThat(t).as("what the read threw (never a silent end)").isInstanceOf(TetherException.class);
    assertThat(got.get()).isLessThanOrEqualTo(before);
    in.close();
  }

  @Test
  void aWorkerThatDiesWhileReadingFailsTheCallAndStopsTheCallersStream() throws Exception {
    PatternStream source = new PatternStream(Long.MAX_VALUE);
    CompletableFuture<Throwable> call =
        Async.thrownBy(() -> service.readThenHalt(source, 2L << 20));

    assertThat(call.get(30, TimeUnit.SECONDS)).isInstanceOf(TetherException.class);
    assertThat(source.closed.await(10, TimeUnit.SECONDS)).as("the caller's source closed").isTrue();
  }
}
