package dev.tether.internal.server;

import dev.tether.InterruptOnCancel;
import dev.tether.internal.codec.MethodCodec;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * One remote method of an exported object, prepared once at export so that serving a call needs
 * no reflection and no lookups: its codec, a method handle bound to the implementation, whether
 * its serving thread is interrupted on cancel, and its inlining history. Immutable (the history
 * is the one mutable part, and has its own discipline); thread-safe.
 *
 * @param name "Interface.method", for messages and statistics
 * @param codec how its arguments and result travel
 * @param invoker {@code (Object[]) -> Object}, bound to the implementation, arguments spread
 * @param interruptOnCancel whether the serving thread is interrupted when the call is cancelled
 * @param inline whether it has been fast lately (see {@link InlinePolicy})
 */
record ServedMethod(String name, MethodCodec codec, MethodHandle invoker,
    boolean interruptOnCancel, InlinePolicy.History inline) {

  private static final MethodType INVOKER_TYPE =
      MethodType.methodType(Object.class, Object[].class);

  /**
   * Prepares {@code codec}'s method on {@code implementation}; {@code interruptAll} makes it
   * interrupt on cancel whatever its annotations say.
   *
   * @throws IllegalArgumentException when the method cannot be invoked from here
   */
  static ServedMethod of(Class<?> iface, MethodCodec codec, Object implementation,
      boolean interruptAll) {
    Method m = codec.method();
    boolean interrupt = interruptAll || m.isAnnotationPresent(InterruptOnCancel.class)
        || annotatedInImplementation(implementation.getClass(), m);
    return new ServedMethod(iface.getSimpleName() + "." + m.getName(), codec,
        invoker(m, implementation), interrupt, new InlinePolicy.History());
  }

  /** Invokes the method with {@code args}. Throws whatever the method throws. */
  Object invoke(Object[] args) throws Throwable {
    return (Object) invoker.invokeExact(args);
  }

  private static MethodHandle invoker(Method m, Object target) {
    try {
      MethodHandle h = MethodHandles.publicLookup().unreflect(m).bindTo(target);
      return h.asSpreader(Object[].class, m.getParameterCount()).asType(INVOKER_TYPE);
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("cannot invoke " + m + ": " + e.getMessage(), e);
    }
  }

  private static boolean annotatedInImplementation(Class<?> impl, Method m) {
    try {
      return impl.getMethod(m.getName(), m.getParameterTypes())
          .isAnnotationPresent(InterruptOnCancel.class);
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
