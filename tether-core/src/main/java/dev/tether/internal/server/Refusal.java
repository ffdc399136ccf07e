package dev.tether.internal.server;

import dev.tether.ErrorCode;

/**
 * Why a call is refused before dispatch: sent as an ERROR frame flagged refused, so the caller
 * knows the method never started and may retry.
 *
 * @param code REJECTED, SERVER_BUSY, SERVER_EXHAUSTED, RESOURCE_EXHAUSTED or UNAVAILABLE
 * @param message the reason, in the user's terms
 * @param retryAfterNanos the hint of when to try again; 0 for none
 */
record Refusal(ErrorCode code, String message, long retryAfterNanos) {
  static Refusal of(ErrorCode code, String message) {
    return new Refusal(code, message, 0);
  }
}
