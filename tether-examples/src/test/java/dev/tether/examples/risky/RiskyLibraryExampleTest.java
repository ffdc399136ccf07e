package dev.tether.examples.risky;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runnable example, end to end with real worker processes, a real crash and a real hang. */
@Timeout(120)
class RiskyLibraryExampleTest {
  @Test
  void everyOutcomeHappensAndTheWorkerIsReplacedTwice() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RiskyLibraryExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).containsPattern("a normal document +-> OK")
        .containsPattern("crashes the library +-> WORKER_LOST")
        .containsPattern("loops forever +-> TIMED_OUT: no answer within 500 ms \\(forced\\)")
        .contains("Supervision: 2 restarts (1 crash, 1 hung kill)");
    assertThat(out.lines().filter(l -> l.matches("the next document, on a new worker +-> OK.*")))
        .as(out)
        .hasSize(2);
  }
}
