package dev.tether.internal.client;

import dev.tether.CallRefusedException;
import dev.tether.ErrorCode;
import dev.tether.ServerBusyException;
import dev.tether.RemoteException;
import dev.tether.RemoteStackTrace;
import dev.tether.TetherException;
import dev.tether.internal.wire.RemoteError;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

/**
 * Turns an ERROR frame into the exception a caller sees. The rule: a checked exception declared
 * by the interface method (or a subclass of one) with a public {@code (String)} constructor is
 * rethrown as itself; every other server exception becomes a {@link RemoteException}. Either way
 * the cause is a {@link RemoteStackTrace} with the server-side stack.
 */
final class RemoteErrors {
  private RemoteErrors() {}

  /** The exception for an error answering a call of {@code method}. */
  static Throwable forCall(RemoteError error, Method method) {
    if (error.refused()) {
      return refusal(error);
    }
    RemoteStackTrace server = stackOf(error.chain());
    if (error.code() != ErrorCode.REMOTE_EXCEPTION || error.chain().isEmpty()) {
      return new TetherException(error.code(), error.message(), server);
    }
    RemoteError.ThrowableInfo top = error.chain().get(0);
    Throwable declared = declaredChecked(top, method, server);
    return declared != null ? declared : new RemoteException(top.type(), top.message(), server);
  }

  /**
   * A call refused before dispatch: a {@link ServerBusyException} after one attempt for a busy
   * answer (the retry loop replaces it with the real count), else a {@link CallRefusedException}.
   */
  static CallRefusedException refusal(RemoteError error) {
    Duration after = error.retryAfterNanos() > 0 ? Duration.ofNanos(error.retryAfterNanos()) : null;
    ErrorCode c = error.code();
    boolean busy = c == ErrorCode.SERVER_BUSY || c == ErrorCode.SERVER_EXHAUSTED
        || c == ErrorCode.RESOURCE_EXHAUSTED;
    return busy ? new ServerBusyException(c, error.message(), after, 1,
        ServerBusyException.StopReason.NO_RETRIES)
        : new CallRefusedException(c, error.message(), after);
  }

  /** The exception for an error that is not about a method (resolving, the connection). */
  static TetherException plain(RemoteError error) {
    return new TetherException(error.code(), error.message(), stackOf(error.chain()));
  }

  private static RemoteStackTrace stackOf(List<RemoteError.ThrowableInfo> chain) {
    RemoteStackTrace cause = null;
    for (int i = chain.size() - 1; i >= 0; i--) {
      RemoteError.ThrowableInfo t = chain.get(i);
      cause = new RemoteStackTrace(t.type(), t.message(), t.stack(), cause);
    }
    return cause;
  }

  private static Throwable declaredChecked(RemoteError.ThrowableInfo top, Method method,
      RemoteStackTrace server) {
    for (Class<?> declared : method.getExceptionTypes()) {
      if (RuntimeException.class.isAssignableFrom(declared) || Error.class.isAssignableFrom(declared)) {
        continue;
      }
      Class<?> thrown = declared.getName().equals(top.type()) ? declared
          : loadSubclass(top.type(), declared, method);
      if (thrown == null) {
        continue;
      }
      try {
        Constructor<?> c = thrown.getConstructor(String.class);
        Throwable t = (Throwable) c.newInstance(top.message());
        t.initCause(server);
        return t;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null; // no usable (String) constructor: fall back to RemoteException
      }
    }
    return null;
  }

  private static Class<?> loadSubclass(String name, Class<?> declared, Method method) {
    try {
      Class<?> c = Class.forName(name, false, method.getDeclaringClass().getClassLoader());
      return declared.isAssignableFrom(c) ? c : null;
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
