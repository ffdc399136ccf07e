package dev.tether.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.SupervisionPolicy;
import dev.tether.Tether;
import dev.tether.fixtures.CrashService;
import dev.tether.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many launch/close cycles and many restarts leave no thread, file descriptor, socket file or
 * process behind. Counts are CI-sized; the full run (200 cycles, 50 restarts) is
 * {@code -Dtether.leak.cycles=200 -Dtether.leak.restarts=50}.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class NoLeakTest {
  static final int CYCLES = Integer.getInteger("tether.leak.cycles", 30);
  static final int RESTARTS = Integer.getInteger("tether.leak.restarts", 15);

  @Test
  void launchCloseCyclesAndRestartsLeakNothing() throws Exception {
    try (Tether warmUp = launch()) {
      warmUp.get(CrashService.class, "crash").pid();
    }
    Await.until(() -> tetherThreads() == 0 && ProcessHandle.current().children().count() == 0,
        "the warm-up left nothing");
    long fdsBefore = openFds();
    List<String> sockets = new ArrayList<>();
    for (int i = 0; i < CYCLES; i++) {
      try (Tether t = launch()) {
        sockets.add(t.address());
        assertThat(t.get(CrashService.class, "crash").pid())
            .isEqualTo(t.worker().orElseThrow().pid());
      }
    }
    try (Tether t = launch()) {
      CrashService c = t.get(CrashService.class, "crash");
      for (int i = 0; i < RESTARTS; i++) {
        sockets.add(t.address());
        long pid = c.pid();
        t.restartWorker("leak test " + i);
        Await.until(() -> t.worker().map(p -> p.pid() != pid).orElse(false), "a new worker");
      }
      assertThat(c.pid()).isEqualTo(t.worker().orElseThrow().pid());
      assertThat(t.supervision().orElseThrow().restarts()).isEqualTo(RESTARTS);
      sockets.add(t.address());
    }
    Await.until(() -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive),
        "every worker process is gone");
    Await.until(() -> tetherThreads() == 0, "every tether platform thread is gone: "
        + threadNames());
    Await.until(() -> openFds() <= fdsBefore + 4, "file descriptors are back to about "
        + fdsBefore);
    for (String address : sockets) {
      Path socket = Path.of(address.substring("unix:".length()));
      assertThat(socket).doesNotExist();
      assertThat(socket.getParent()).doesNotExist();
    }
  }

  static Tether launch() {
    return Tether.launch(WorkerFailureTest.spec()
        .supervision(SupervisionPolicy.builder().stopTimeout(Duration.ofSeconds(1)).build())
        .build());
  }

  /** Platform threads Tether started, except the shared timer (which idles out by itself). */
  static long tetherThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("tether-") && !t.getName().equals("tether-timer"))
        .filter(Thread::isAlive).count();
  }

  static List<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.startsWith("tether-")).toList();
  }

  static long openFds() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
