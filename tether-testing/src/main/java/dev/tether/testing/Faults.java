package dev.tether.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps a real implementation so that chosen methods become slow, hung or failing on cue, to test
 * how a caller handles cancellation and timeouts, deterministically: the test waits for a call to
 * arrive ({@link Fault#awaitEntered()}) and decides when it ends ({@link Fault#release()}), with
 * no sleeps.
 *
 * <pre>{@code
 * Faults<Calc> faults = Faults.around(Calc.class, new CalcImpl());
 * Fault slowAdd = faults.on("add").hang();        // every add waits until cancelled or released
 * // export faults.proxy() (InProcessServer, TetherExtension, or any TetherServer)
 * Future<Integer> f = executor.submit(() -> calc.add(1, 2));
 * slowAdd.awaitEntered();                          // the call runs in the server now
 * Cancellation.cancel(f, Duration.ofSeconds(1));
 * slowAdd.awaitCancelSeen();                       // and the server saw the cancel
 * }</pre>
 *
 * <p>Methods with no fault configured, and {@code equals}, {@code hashCode} and {@code toString},
 * go straight to the real implementation. Thread-safe: faults may be changed while calls run.
 *
 * @param <T> the remote interface
 */
public final class Faults<T> {
  /** How long a held call waits at most for its release, unless configured otherwise. */
  public static final Duration DEFAULT_HOLD_LIMIT = Duration.ofMinutes(2);

  private final Class<T> iface;
  private final T target;
  private final T proxy;
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private volatile Duration holdLimit = DEFAULT_HOLD_LIMIT;

  private Faults(Class<T> iface, T target) {
    this.iface = iface;
    this.target = target;
    this.proxy = iface.cast(Proxy.newProxyInstance(iface.getClassLoader(),
        new Class<?>[] {iface}, new Handler()));
  }

  /**
   * Wraps {@code target}, which implements {@code iface}; every method passes through until a
   * fault is configured with {@link #on(String)}.
   *
   * @throws IllegalArgumentException when {@code iface} is not an interface
   */
  public static <T> Faults<T> around(Class<T> iface, T target) {
    Objects.requireNonNull(iface, "iface");
    Objects.requireNonNull(target, "target");
    if (!iface.isInterface()) {
      throw new IllegalArgumentException(iface.getName() + " is not an interface");
    }
    return new Faults<>(iface, target);
  }

  /** The implementation to export: it applies the faults, then calls the real one. */
  public T proxy() {
    return proxy;
  }

  /**
   * The fault of every method named {@code method} (all its overloads), created passing through
   * on first use; configure it with {@link Fault#delay}, {@link Fault#hang()},
   * {@link Fault#hangIgnoringCancel()} or {@link Fault#fail}.
   *
   * @throws IllegalArgumentException when the interface has no method of that name
   */
  public Fault on(String method) {
    boolean exists = Arrays.stream(iface.getMethods()).anyMatch(m -> m.getName().equals(method));
    if (!exists) {
      throw new IllegalArgumentException(iface.getName() + " has no method '" + method + "'");
    }
    return faults.computeIfAbsent(method, m -> new Fault(iface.getSimpleName() + "." + m,
        this::holdLimit));
  }

  /**
   * The longest a held call (slow without a delay, hung, hung ignoring the cancel) waits for its
   * release before it fails with an {@link IllegalStateException}: a safety net so a test that
   * forgets to release leaks no thread for long. Default {@link #DEFAULT_HOLD_LIMIT}.
   *
   * @return this
   */
  public Faults<T> holdLimit(Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("the hold limit must be positive");
    }
    this.holdLimit = limit;
    return this;
  }

  private Duration holdLimit() {
    return holdLimit;
  }

  /** Releases every held call of every method, as {@link Fault#release()} on each. */
  public void releaseAll() {
    faults.values().forEach(Fault::release);
  }

  private final class Handler implements InvocationHandler {
    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> self == args[0];
          case "hashCode" -> System.identityHashCode(self);
          default -> "Faults(" + target + ")";
        };
      }
      Fault fault = faults.get(method.getName());
      if (fault != null) {
        fault.apply();
      }
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
