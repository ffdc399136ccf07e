package dev.tether.internal.server;

import dev.tether.InterruptOnCancel;
import dev.tether.internal.codec.InterfaceSchema;
import java.util.Objects;

/**
 * An implementation exported under a name: its interface schema and, in the schema's order, one
 * {@link ServedMethod} per remote method. Immutable and thread-safe.
 */
public final class ExportedObject {
  private final InterfaceSchema schema;
  private final ServedMethod[] methods;

  /**
   * Prepares {@code implementation} for export; with {@code interruptAll} (or
   * {@link InterruptOnCancel} on the interface or the implementation class) every method's serving
   * thread is interrupted on cancel.
   *
   * @throws IllegalArgumentException when {@code iface} is not a valid remote interface or the
   *     implementation does not implement it
   */
  public ExportedObject(String name, Class<?> iface, Object implementation, boolean interruptAll) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(implementation, "implementation");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("export name must not be empty");
    }
    this.schema = InterfaceSchema.of(iface);
    if (!iface.isInstance(implementation)) {
      throw new IllegalArgumentException(implementation.getClass().getName()
          + " does not implement " + iface.getName() + " (export '" + name + "')");
    }
    boolean typeLevel = interruptAll || iface.isAnnotationPresent(InterruptOnCancel.class)
        || implementation.getClass().isAnnotationPresent(InterruptOnCancel.class);
    this.methods = new ServedMethod[schema.size()];
    for (int i = 0; i < methods.length; i++) {
      methods[i] = ServedMethod.of(iface, schema.method(i), implementation, typeLevel);
    }
  }

  /** The exported interface's schema. */
  public InterfaceSchema schema() {
    return schema;
  }

  /** The method at {@code index} in the schema's order. */
  ServedMethod method(int index) {
    return methods[index];
  }
}
