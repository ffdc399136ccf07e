package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scaling bench's smoke version: every row of every table, positive numbers, no timing. */
class ScaleBenchQuickTest {
  @Test
  @Timeout(600) // four systems, 100,000 pending calls each for three of them
  void quickRunPrintsARowForEverySizeOfEveryTable() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int code = BenchMain.run(new String[] {"--scale", "--quick"}, // as ./tether bench runs it
        new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), System.err);
    assertThat(code).isZero();
    String report = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    System.out.println(report);
    List<String> rows = new ArrayList<>();
    for (String line : report.split("\n")) {
      if (line.startsWith("| ") && !line.startsWith("| system") && !line.startsWith("|---")) {
        rows.add(line);
      }
    }
    List<String> expected = new ArrayList<>(); // "system size", in the tables' order
    for (int[] table : new int[][] {ScaleBench.CALLERS, ScaleBench.PENDING, ScaleBench.CANCELLED}) {
      for (String system : ScaleBench.SYSTEMS) {
        if (table != ScaleBench.CALLERS && system.equals("rmi")) {
          continue; // no asynchronous calls, no cancellation
        }
        for (int n : table) {
          expected.add(system + " " + n);
        }
      }
    }
    List<String> found = new ArrayList<>();
    for (String row : rows) {
      String[] cells = row.substring(2, row.length() - 2).split(" \\| ");
      found.add(cells[0] + " " + cells[1]);
    }
    assertThat(found).containsExactlyElementsOf(expected);
    for (int i = 0; i < rows.size(); i++) {
      String[] cells = rows.get(i).substring(2, rows.get(i).length() - 2).split(" \\| ");
      for (int c = 2; c < cells.length; c++) {
        assertThat(Double.parseDouble(cells[c])).as(rows.get(i)).isPositive();
      }
    }
  }
}
