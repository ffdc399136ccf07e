package dev.tether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void durationsUseTheUnitThatFitsWithThreeSignificantDigits() {
    assertThat(Units.duration(850, "µ")).isEqualTo("850 ns");
    assertThat(Units.duration(1_234, "µ")).isEqualTo("1.23 µs");
    assertThat(Units.duration(12_340, "µ")).isEqualTo("12.3 µs");
    assertThat(Units.duration(77_434_900, "µ")).isEqualTo("77.4 ms"); // not 77434.9 µs
    assertThat(Units.duration(999_999, "µ")).isEqualTo("1.00 ms");
    assertThat(Units.duration(2_050_000_000L, "u")).isEqualTo("2.05 s");
    assertThat(Units.duration(Double.NaN)).isEqualTo("n/a");
  }

  @Test
  void ratesAndSizes() {
    assertThat(Units.rate(48_213)).isEqualTo("48.2 k/s");
    assertThat(Units.rate(1_500_000)).isEqualTo("1.50 M/s");
    assertThat(Units.rate(12)).isEqualTo("12.0 /s");
    assertThat(Units.bytes(1500)).isEqualTo("1.46 KiB");
    assertThat(Units.bytes(512)).isEqualTo("512 B");
  }
}
