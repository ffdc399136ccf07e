package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the attack benchmark's tiny smoke version ({@code --attacks --quick}) and checks the
 * structure of its report: a baseline row with numbers, one row and one ATTACK line per attack.
 * It asserts nothing about timing, nor whether today's server survives the (tiny) attacks.
 */
class AttackBenchQuickTest {
  private static final Pattern LINE = Pattern.compile(
      "^ATTACK ([a-z-]+) p99_ratio ([0-9.]+|none) failed ([0-9]+) server ([a-z]+) (MET|MISSED)"
          + " \\(p99 / first baseline ([0-9.]+|-)\\)$");

  @Test
  @Timeout(180)
  void quickRunReportsTheBaselineAndEveryAttack() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    int code = BenchMain.run(new String[] {"--attacks", "--quick", "--samples", "20"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(progress, true, StandardCharsets.UTF_8));
    String report = out.toString(StandardCharsets.UTF_8);
    System.out.println(report);
    System.out.println(progress.toString(StandardCharsets.UTF_8));

    assertThat(code).isZero();
    String baseline = row(report, "baseline");
    String[] cells = baseline.substring(1).split("\\|");
    assertThat(Double.parseDouble(cells[1].trim())).isPositive();
    assertThat(Double.parseDouble(cells[2].trim())).isPositive();
    assertThat(cells[6].trim()).isEqualTo("20");

    List<String> attacks = new ArrayList<>();
    for (String line : report.split("\n")) {
      if (line.startsWith("ATTACK ")) {
        Matcher m = LINE.matcher(line);
        assertThat(m.matches()).as("ATTACK line '%s'", line).isTrue();
        attacks.add(m.group(1));
      }
    }
    for (Attack a : Attack.values()) {
      assertThat(row(report, a.id)).isNotNull();
      assertThat(row(report, "baseline before " + a.id)).isNotNull();
      assertThat(attacks).contains(a.id);
    }
  }

  @Test
  void amplificationCallIsOneCallFrameOfTheRequestedSize() {
    byte[] frame = Attack.amplificationCall(64 * 1024);
    int length = java.nio.ByteBuffer.wrap(frame).getInt();
    assertThat(length).isEqualTo(frame.length - 4);
    assertThat(frame.length).isBetween(60 * 1024, 64 * 1024 + 64);
    assertThat(frame[4]).isEqualTo((byte) dev.tether.internal.wire.FrameKind.CALL);
    // length, kind, flags, call id, then binding 0 and the method index (one byte each)
    dev.tether.internal.codec.InterfaceSchema schema =
        dev.tether.internal.codec.InterfaceSchema.of(AttackService.class);
    dev.tether.internal.codec.ByteReader in =
        new dev.tether.internal.codec.ByteReader(frame, 12, frame.length - 12);
    // a server refuses to decode this (it amplifies past the decoded-size bound): that is the
    // attack, so check the frame's content here with the bound lifted
    in.limitDecodedBytes(Long.MAX_VALUE);
    Object[] args = schema.method(frame[11]).decodeArgs(in);
    assertThat(schema.method(frame[11]).method().getName()).isEqualTo("count");
    List<?> lists = (List<?>) args[0];
    assertThat(lists).hasSizeGreaterThan(20_000).allMatch(l -> ((List<?>) l).isEmpty());
  }

  private static String row(String report, String phase) {
    for (String line : report.split("\n")) {
      if (line.startsWith("| " + phase + " |")) {
        return line;
      }
    }
    throw new AssertionError("no row for " + phase + " in\n" + report);
  }
}
