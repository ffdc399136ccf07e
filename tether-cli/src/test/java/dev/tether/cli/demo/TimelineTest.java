package dev.tether.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
  @Test
  void drawsEveryEventOnOneAxisScaledToTheLastOne() {
    String picture = new Timeline().at("caller called", 1_000_000).at("cancel sent", 1_500_000)
        .at("server saw it", 1_600_000).at("caller released", 2_000_000).render(false);
    List<String> lines = picture.lines().toList();

    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("   caller called    ").endsWith(" 0");
    assertThat(lines.get(1)).startsWith("   cancel sent      ").endsWith(" +500 " + dev.tether.cli.Units.MICRO + "s");
    assertThat(lines.get(3)).endsWith(" +1.00 ms");
    // the dot of each event sits in proportion to its time: 0, 22, 26.4 and 44 columns
    int origin = lines.get(0).indexOf(dot());
    assertThat(lines.get(1).indexOf(dot()) - origin).isEqualTo(22);
    assertThat(lines.get(2).indexOf(dot()) - origin).isEqualTo(26);
    assertThat(lines.get(3).indexOf(dot()) - origin).isEqualTo(44);
    assertThat(picture).doesNotContain("\u001b[");
  }

  @Test
  void eventsAppearInTimeOrderWhateverTheOrderTheyWereAdded() {
    List<String> lines = new Timeline().at("called", 0).at("returned", 300).at("released", 200)
        .render(false).lines().toList();
    assertThat(lines.get(1)).contains("released");
    assertThat(lines.get(2)).contains("returned");
  }

  @Test
  void colourOnlyWhenAsked() {
    String picture = new Timeline().at("a", 0).at("b", 10).render(true);
    assertThat(picture).contains("\u001b[36m").contains("\u001b[0m");
  }

  private static String dot() {
    return dev.tether.cli.Units.MICRO.equals("µ") ? "●" : "o";
  }
}
