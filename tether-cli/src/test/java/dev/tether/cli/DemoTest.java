package dev.tether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.cli.demo.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo runs every scenario with the outcomes it narrates (timings are not checked). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoTest {
  @Test
  void demoShowsEveryScenarioWithItsOutcome() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Demo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("Hello, Ada, from worker pid")
        .contains("Cancellation.cancel(caller, grace 2 s) -> ACKNOWLEDGED")
        .contains("CallCancelledException (acknowledged)")
        .contains("Cancellation.cancel(caller, grace 300 ms) -> FORCED")
        .contains("worker still runs it: DemoService.stubbornWork")
        .contains("Cancellation.cancel(caller, ZERO) -> FORCED")
        .contains("prepare  -> CallCancelledException (not_sent)")
        .contains("Cancellation.cancel(future, grace 2 s) -> ACKNOWLEDGED")
        .contains("DeadlineExceededException (acknowledged)")
        .contains("has exited")
        .containsPattern("DemoService.cooperativeWork still pending after \\d+ ms - cancel\\? yes")
        .contains("cooperativeWork(10 s) -> CallCancelledException (acknowledged)")
        .contains("the listener's cancel -> ACKNOWLEDGED")
        .containsPattern("no retries : +\\d+ served, +[1-9]\\d* refused as busy")
        .contains("more budget: 32 served,  0 refused as busy")
        .contains("every one answered")
        .containsPattern("[1-9]\\d* recycled");
  }
}
