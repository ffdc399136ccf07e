package dev.tether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: help everywhere, the build's version, one-line errors. */
@Timeout(60)
class CommandLineTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = TetherCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void everySubcommandHasHelpAndIsListedInTheTopLevelHelp() {
    Run top = run("--help");
    assertThat(top.code()).isZero();
    Map<String, CommandLine> subcommands = TetherCommand.commandLine().getSubcommands();
    assertThat(subcommands).containsKeys("demo", "inspect", "bench");
    for (String name : subcommands.keySet()) {
      assertThat(top.out()).as("tether --help lists %s", name).containsPattern("(?m)^  " + name + " ");
      Run help = run(name, "--help");
      assertThat(help.code()).as(name).isZero();
      assertThat(help.out()).as(name).startsWith("Usage: tether " + name)
          .contains("-h, --help").contains("-V, --version");
      assertThat(help.err()).as(name).isEmpty();
    }
    assertThat(run("bench", "--help").out()).contains("--quick", "--attacks", "--only",
        "--samples", "--markdown", "--html", "--tether-spin", "--cold");
  }

  @Test
  void versionComesFromTheBuild() throws Exception {
    String pom = Files.readString(Path.of(System.getProperty("user.dir"), "..", "pom.xml"));
    Matcher m = Pattern.compile("<artifactId>tether-parent</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(pom);
    assertThat(m.find()).isTrue();
    Run v = run("--version");
    assertThat(v.code()).isZero();
    assertThat(v.out()).startsWith("tether " + m.group(1) + "\n").contains("Java ");
    assertThat(run("inspect", "--version").out()).startsWith("tether " + m.group(1));
  }

  @Test
  void anUnreachableAddressIsOneLineAndExitCodeOne(@TempDir Path dir) {
    for (String address : new String[] {"unix:" + dir.resolve("nobody-listens.sock"),
        "tcp:127.0.0.1:1", "mem:nothing-here"}) {
      Run r = run("inspect", address);
      assertThat(r.code()).as(address).isEqualTo(1);
      assertThat(r.out()).as(address).isEmpty();
      assertThat(r.err().lines()).as(address).hasSize(1);
      assertThat(r.err()).as(address).startsWith("tether inspect: ")
          .doesNotContain("\tat ").doesNotContain("Exception:");
    }
  }

  @Test
  void aMalformedAddressIsOneLineAndExitCodeOne() {
    Run r = run("inspect", "no-scheme-here");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("tether inspect: ").contains("no-scheme-here")
        .doesNotContain("\tat ");
  }

  @Test
  void usageErrorsSayWhatIsWrongWithExitCodeTwo() {
    Run missing = run("inspect");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required parameter");
    Run unknown = run("bench", "--only", "tether-uds,carrier-pigeon");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown system 'carrier-pigeon'");
    Run negative = run("bench", "--samples", "0");
    assertThat(negative.code()).isEqualTo(2);
    assertThat(negative.err()).contains("--samples must be positive");
    Run cold = run("bench", "--cold", "-5");
    assertThat(cold.code()).isEqualTo(2);
    assertThat(cold.err()).contains("--cold must be positive");
  }

  @Test
  void benchOutsideTheBenchmarksJarSaysHowToRunIt() {
    Run r = run("bench", "--quick");
    assertThat(r.code()).isEqualTo(1);
  }
}
