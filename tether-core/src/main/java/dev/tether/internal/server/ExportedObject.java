package dev.tether.internal.server;

import dev.tether.InterruptOnCancel;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.internal.codec.MethodCodec;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * An implementation exported under a name: its interface schema and, per remote method, a method
 * handle bound to the implementation (no reflection when a call is served) and whether the serving
 * thread is interrupted when the call is cancelled.
 */
public final class ExportedObject {
  private static final MethodType INVOKER_TYPE = MethodType.methodType(Object.class, Object[].class);

  private final String name;
  private final InterfaceSchema schema;
  private final Object implementation;
  private final MethodHandle[] invokers;
  private final boolean[] interruptOnCancel;
  /** Per method: inlined when at least {@link #INLINE_CREDIT}; earned by fast runs. */
  private final AtomicIntegerArray inlineCredit;

  /**
   * Prepares {@code implementation} for export.
   *
   * @throws IllegalArgumentException when {@code iface} is not a valid remote interface or the
   *     implementation does not implement it
   */
  public ExportedObject(String name, Class<?> iface, Object implementation, boolean interruptAll) {
    this.name = Objects.requireNonNull(name, "name");
    Objects.requireNonNull(implementation, "implementation");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("export name must not be empty");
    }
    this.schema = InterfaceSchema.of(iface);
    if (!iface.isInstance(implementation)) {
      throw new IllegalArgumentException(implementation.getClass().getName()
          + " does not implement " + iface.getName() + " (export '" + name + "')");
    }
    this.implementation = implementation;
    this.invokers = new MethodHandle[schema.size()];
    this.interruptOnCancel = new boolean[schema.size()];
    this.inlineCredit = new AtomicIntegerArray(schema.size());
    boolean typeLevel = interruptAll || iface.isAnnotationPresent(InterruptOnCancel.class)
        || implementation.getClass().isAnnotationPresent(InterruptOnCancel.class);
    for (int i = 0; i < schema.size(); i++) {
      Method m = schema.method(i).method();
      invokers[i] = invoker(m, implementation);
      interruptOnCancel[i] = typeLevel || m.isAnnotationPresent(InterruptOnCancel.class)
          || implAnnotated(implementation.getClass(), m);
    }
  }

  private static MethodHandle invoker(Method m, Object target) {
    try {
      MethodHandle h = MethodHandles.publicLookup().unreflect(m).bindTo(target);
      return h.asSpreader(Object[].class, m.getParameterCount()).asType(INVOKER_TYPE);
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("cannot invoke " + m + ": " + e.getMessage(), e);
    }
  }

  private static boolean implAnnotated(Class<?> impl, Method m) {
    try {
      return impl.getMethod(m.getName(), m.getParameterTypes())
          .isAnnotationPresent(InterruptOnCancel.class);
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** The export name. */
  public String name() {
    return name;
  }

  /** The exported interface's schema. */
  public InterfaceSchema schema() {
    return schema;
  }

  /** The implementation object. */
  public Object implementation() {
    return implementation;
  }

  /** Codec of method {@code index}. */
  MethodCodec codec(int index) {
    return schema.method(index);
  }

  /** Whether the serving thread of method {@code index} is interrupted on cancel. */
  boolean interruptOnCancel(int index) {
    return interruptOnCancel[index];
  }

  /** Runs of at most this long count as fast. */
  static final long FAST_NANOS = 100_000;
  /** Consecutive-ish fast runs needed before a method runs inline on the reader thread. */
  static final int INLINE_CREDIT = 16;
  private static final int MAX_CREDIT = 64;

  /**
   * Whether a call of method {@code index} may run inline on the connection's reader thread: it
   * has been fast lately, is synchronous, and does not want interrupts.
   */
  boolean mayInline(int index) {
    return inlineCredit.get(index) >= INLINE_CREDIT && !interruptOnCancel[index]
        && !schema.method(index).isAsync();
  }

  /** Records how long a call of method {@code index} took, to decide about inlining. */
  void record(int index, long nanos) {
    int c = inlineCredit.get(index);
    if (nanos <= FAST_NANOS) {
      if (c < MAX_CREDIT) {
        inlineCredit.lazySet(index, c + 1); // racy on purpose: a heuristic, not a count
      }
    } else if (c > -MAX_CREDIT) {
      inlineCredit.lazySet(index, -MAX_CREDIT);
    }
  }

  /** A call of method {@code index} ran inline far too long: do not inline it for a long time. */
  void inlineFailed(int index) {
    inlineCredit.set(index, -64 * MAX_CREDIT);
  }

  /** Invokes method {@code index} on the implementation. Throws whatever the method throws. */
  Object invoke(int index, Object[] args) throws Throwable {
    return (Object) invokers[index].invokeExact(args);
  }
}
