package dev.tether.internal.codec;

import java.math.BigDecimal;
import java.util.List;

/** Public records, which the codec reaches through the public lookup without setAccessible. */
public final class PublicRecords {

  private PublicRecords() {}

  /** An amount of money. */
  public record Money(BigDecimal amount, String currency) {}

  /** A public generic record holding a list and a primitive. */
  public record Tagged<T>(List<T> items, long tag) {}
}
