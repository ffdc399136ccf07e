package dev.tether.internal.wire;

import dev.tether.ErrorCode;
import java.util.List;

/**
 * The content of an ERROR frame: a code, a message and, for a remote exception, the server-side
 * exception chain (outermost first).
 *
 * @param code why the call failed
 * @param message a human-readable message
 * @param chain the server exception and its causes, outermost first; empty when there is none
 * @param refused the server refused the call before dispatching it: the method never started
 * @param retryAfterNanos for a refusal, the server's hint of when to try again; 0 for none
 */
public record RemoteError(ErrorCode code, String message, List<ThrowableInfo> chain,
    boolean refused, long retryAfterNanos) {

  /** An error of a dispatched call (or not about a call). */
  public RemoteError(ErrorCode code, String message, List<ThrowableInfo> chain) {
    this(code, message, chain, false, 0);
  }

  /** One exception of a server-side chain, as text. */
  public record ThrowableInfo(String type, String message, StackTraceElement[] stack) {}
}
