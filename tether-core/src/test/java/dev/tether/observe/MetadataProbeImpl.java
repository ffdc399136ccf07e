package dev.tether.observe;

import dev.tether.CallMetadata;
import dev.tether.Tether;
import java.util.Map;

/** Serves {@link MetadataProbe}. */
public class MetadataProbeImpl implements MetadataProbe {
  @Override
  public Map<String, String> seen() {
    return CallMetadata.current().asMap();
  }

  @Override
  public Map<String, String> relay(String address) {
    try (Tether next = Tether.connect(address)) {
      return next.get(MetadataProbe.class, "probe").seen();
    }
  }
}
