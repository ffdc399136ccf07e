package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scaling bench's smoke version: every row of every table, positive numbers, no timing. */
class ScaleBenchQuickTest {
  @Test
  @Timeout(180)
  void quickRunPrintsARowForEverySizeOfEveryTable() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int code = BenchMain.run(new String[] {"--scale", "--quick"}, // as ./tether bench runs it
        new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), System.err);
    assertThat(code).isZero();
    String report = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    System.out.println(report);
    List<String> rows = new ArrayList<>();
    for (String line : report.split("\n")) {
      if (line.startsWith("| ") && Character.isDigit(line.charAt(2))) {
        rows.add(line);
      }
    }
    List<Integer> sizes = new ArrayList<>();
    for (int[] table : new int[][] {ScaleBench.CALLERS, ScaleBench.PENDING, ScaleBench.CANCELLED}) {
      for (int n : table) {
        sizes.add(n);
      }
    }
    assertThat(rows).hasSize(sizes.size());
    for (int i = 0; i < rows.size(); i++) {
      String[] cells = rows.get(i).substring(2, rows.get(i).length() - 2).split(" \\| ");
      assertThat(Integer.parseInt(cells[0])).as(rows.get(i)).isEqualTo(sizes.get(i));
      for (int c = 1; c < cells.length; c++) {
        assertThat(Double.parseDouble(cells[c])).as(rows.get(i)).isPositive();
      }
    }
  }
}
