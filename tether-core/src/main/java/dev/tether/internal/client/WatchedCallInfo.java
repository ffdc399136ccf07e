package dev.tether.internal.client;

import dev.tether.PendingCallInfo;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.time.Clock;
import java.lang.reflect.Method;
import java.time.Duration;

/**
 * What a pending-call listener is told of a call, as far as every call has it: its interface,
 * method and time since it was made (synchronous: {@link RetryingCall}; asynchronous:
 * {@link AsyncWatch}). Thread-safe: fixed once made.
 */
abstract class WatchedCallInfo implements PendingCallInfo {
  static final Clock CLOCK = Clock.system();

  final MethodCodec codec;
  private final long startNanos;

  WatchedCallInfo(MethodCodec codec, long startNanos) {
    this.codec = codec;
    this.startNanos = startNanos;
  }

  @Override
  public final Class<?> iface() {
    return codec.method().getDeclaringClass();
  }

  @Override
  public final Method method() {
    return codec.method();
  }

  @Override
  public final Duration elapsed() {
    return Duration.ofNanos(CLOCK.nanoTime() - startNanos);
  }
}
