package dev.tether.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.testing.Async;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientDeathTest {

  @Test
  void workerExitsWhenItsClientJvmIsKilled() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process client = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        ClientThatDies.class.getName()))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> line = Async.run(out::readLine);
      String first = line.get(60, TimeUnit.SECONDS);
      assertThat(first).startsWith("WORKER ");
      long workerPid = Long.parseLong(first.substring("WORKER ".length()));
      ProcessHandle worker = ProcessHandle.of(workerPid).orElseThrow();
      assertThat(worker.isAlive()).isTrue();

      client.destroyForcibly(); // SIGKILL: no shutdown hooks run in the client
      client.waitFor(30, TimeUnit.SECONDS);

      assertThat(worker.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    } finally {
      client.destroyForcibly();
    }
  }
}
