package dev.tether.internal.codec.reload;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loaded by a throw-away class loader in {@code CodecCacheTest}, as an application server or a
 * dev-mode reloader would load user code: using it must not keep that loader alive.
 */
public interface ReloadableService {
  /** A user record, recursive, inside collections. */
  record Payload(String name, List<Payload> children, Optional<Kind> kind) {}

  /** A user enum. */
  enum Kind { SMALL, LARGE }

  Payload echo(Payload payload);

  Map<String, List<Payload>> index(Payload[] payloads);
}
