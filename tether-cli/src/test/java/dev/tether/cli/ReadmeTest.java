package dev.tether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick start compiles and does what it says. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadmeTest {
  @TempDir
  Path dir;

  static String quickStart() throws IOException {
    return block("QuickStart");
  }

  static String block(String className) throws IOException {
    Path readme = Path.of(System.getProperty("user.dir")).resolve("../README.md").normalize();
    String text = Files.readString(readme);
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
    while (m.find()) {
      if (m.group(1).contains("public class " + className)) {
        return m.group(1);
      }
    }
    throw new AssertionError("README.md has no " + className + " block");
  }

  @Test
  void streamsExampleCompilesAndRuns() throws Exception {
    Path source = dir.resolve("StreamsExample.java");
    Files.writeString(source, block("StreamsExample"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String cp = System.getProperty("java.class.path");
    int rc = javac.run(null, null, null, "-d", dir.toString(), "-cp", cp, source.toString());
    assertThat(rc).as("javac exit code").isZero();

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-cp", dir + File.pathSeparator + cp,
        "StreamsExample")).redirectErrorStream(true).start();
    CompletableFuture<String> out = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> {
      try {
        out.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        out.completeExceptionally(e);
      }
    });
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    String output = out.get(10, TimeUnit.SECONDS);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("sha256: " + sha256Of(new byte[10 << 20]))
        .contains("rendered: " + (64 << 20) + " bytes");
  }

  private static String sha256Of(byte[] data) throws Exception {
    return java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void quickStartCompilesAndRuns() throws Exception {
    Path source = dir.resolve("QuickStart.java");
    Files.writeString(source, quickStart());
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String cp = System.getProperty("java.class.path");
    int rc = javac.run(null, null, null, "-d", dir.toString(), "-cp", cp, source.toString());
    assertThat(rc).as("javac exit code").isZero();

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-cp", dir + File.pathSeparator + cp, "QuickStart"))
        .redirectErrorStream(true).start();
    CompletableFuture<String> out = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> {
      try {
        out.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        out.completeExceptionally(e);
      }
    });
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    String output = out.get(10, TimeUnit.SECONDS);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("cancel: ACKNOWLEDGED").contains("released: call cancelled")
        .contains("timed out: call cancelled");
  }
}
