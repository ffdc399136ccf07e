package dev.tether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Tether;
import dev.tether.WorkerSpec;
import dev.tether.cli.demo.DemoService;
import dev.tether.cli.demo.DemoServiceImpl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code tether inspect} against a real worker, before and after its handle restarted it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InspectCommandTest {
  @Test
  void inspectShowsAWorkersStatsAndTheRestartsBeforeIt() throws Exception {
    WorkerSpec spec = WorkerSpec.builder().name("inspected")
        .export("demo", DemoService.class, DemoServiceImpl.class).forwardOutput(false).build();
    try (Tether t = Tether.launch(spec)) {
      DemoService demo = t.get(DemoService.class, "demo");
      long firstPid = t.worker().orElseThrow().pid();
      assertThat(inspect(t.address())).contains("connections")
          .contains("incarnation 1 of its handle");

      t.restartWorker("inspect test");
      demo.greet("Ada"); // the same proxy waits for the new worker
      String out = inspect(t.address());
      assertThat(out).contains("incarnation 2 of its handle (1 restarts before it)")
          .containsPattern("(?m)^    .*" + firstPid + ".*inspect test");
    }
  }

  private static String inspect(String address) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      InspectCommand c = new InspectCommand();
      c.address = address;
      assertThat(c.call()).isZero();
    } finally {
      System.setOut(saved);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
