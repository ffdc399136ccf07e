package dev.tether.internal.cancel;

import dev.tether.CallCanceller;

/** Implemented by futures of asynchronous Tether calls, so that a future leads to its call. */
public interface HasCanceller {
  /** The cancel object of the call behind this future. */
  CallCanceller canceller();
}
