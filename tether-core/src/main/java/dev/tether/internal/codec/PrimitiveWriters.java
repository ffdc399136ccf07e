package dev.tether.internal.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * Method handles {@code (ByteWriter, p) -> void} that write a primitive {@code p} in the same
 * format as {@link PrimitiveCodecs}, so that records can write primitive components unboxed.
 */
final class PrimitiveWriters {

  private static final Map<Class<?>, MethodHandle> WRITERS = Map.of(
      boolean.class, find("writeBoolean", boolean.class, boolean.class),
      byte.class, find("writeByte", int.class, byte.class),
      short.class, find("writeShort", int.class, short.class),
      char.class, find("writeChar", char.class, char.class),
      int.class, find("writeInt", int.class, int.class),
      long.class, find("writeLong", long.class, long.class),
      float.class, find("writeFloat", float.class, float.class),
      double.class, find("writeDouble", double.class, double.class));

  private PrimitiveWriters() {}

  /** Returns the writer of the primitive type {@code p}. */
  static MethodHandle forType(Class<?> p) {
    return WRITERS.get(p);
  }

  private static MethodHandle find(String name, Class<?> declared, Class<?> primitive) {
    try {
      return MethodHandles.lookup()
          .findVirtual(ByteWriter.class, name, MethodType.methodType(void.class, declared))
          .asType(MethodType.methodType(void.class, ByteWriter.class, primitive));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
