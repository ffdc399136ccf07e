package dev.tether.wire;

import dev.tether.internal.codec.ByteWriter;

/** Writes a {@code List<List<String>>} of empty lists: 2 bytes each on the wire. */
public final class EmptyLists {
  private EmptyLists() {}

  /** Writes the argument of {@code HeapProbe.count}: {@code n} empty lists. */
  public static void write(ByteWriter w, int n) {
    w.writeByte(1); // the outer list is present
    w.writeVarInt(n);
    for (int i = 0; i < n; i++) {
      w.writeByte(1); // an inner list, present
      w.writeVarInt(0); // and empty
    }
  }
}
