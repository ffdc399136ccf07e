package dev.tether.observe;

import java.util.Map;

/** Reports the call metadata a server method sees, directly and one hop further. */
public interface MetadataProbe {
  /** The metadata current while this method runs. */
  Map<String, String> seen();

  /** Calls {@link #seen} on the probe "probe" at {@code address} and returns what it saw. */
  Map<String, String> relay(String address);
}
