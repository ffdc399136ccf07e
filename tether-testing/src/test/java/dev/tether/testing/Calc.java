package dev.tether.testing;

import java.io.IOException;

/** The remote interface the kit's tests serve. */
public interface Calc {
  /** The sum. */
  int add(int a, int b);

  /** The text, read from "storage". */
  String load(String key) throws IOException;

  /** The real implementation. */
  final class Impl implements Calc {
    /** Creates it. */
    public Impl() {}

    @Override
    public int add(int a, int b) {
      return a + b;
    }

    @Override
    public String load(String key) {
      return "value of " + key;
    }
  }
}
