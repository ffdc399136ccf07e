package dev.tether.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallInfo;
import dev.tether.CallListener;
import dev.tether.CallMetadata;
import dev.tether.Registration;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Call metadata reaches the server, and the next hop through the server's own calls. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetadataPropagationTest {
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private static TetherServer probeServer(CallListener listener) {
    return TetherServer.builder().export("probe", MetadataProbe.class, new MetadataProbeImpl())
        .callListener(listener).start();
  }

  @Test
  void metadataSetOnTheCallingThreadArrivesAtTheServer() {
    try (TetherServer a = probeServer(null); Tether client = Tether.connect(a.address())) {
      MetadataProbe probe = client.get(MetadataProbe.class, "probe");
      assertThat(probe.seen()).isEmpty();
      try (Registration r = CallMetadata.with("traceparent", TRACEPARENT);
          Registration t = CallMetadata.with("tenant", "blue")) {
        assertThat(probe.seen()).containsExactly(Map.entry("traceparent", TRACEPARENT),
            Map.entry("tenant", "blue"));
      }
      assertThat(probe.seen()).as("closed registrations restore none").isEmpty();
      assertThat(CallMetadata.current().isEmpty()).isTrue();
    }
  }

  @Test
  void metadataTravelsOnThroughTheServersOwnCallsToASecondHop() {
    try (TetherServer a = probeServer(null); TetherServer b = probeServer(null);
        Tether client = Tether.connect(a.address())) {
      MetadataProbe probe = client.get(MetadataProbe.class, "probe");
      try (Registration r = CallMetadata.with("traceparent", TRACEPARENT)) {
        assertThat(probe.relay(b.address())).containsExactly(
            Map.entry("traceparent", TRACEPARENT));
      }
      assertThat(probe.relay(b.address())).as("nothing leaks into later calls").isEmpty();
    }
  }

  @Test
  void listenersInjectOnTheClientAndReplaceOnTheServerForTheNextHop() {
    CallListener inject = new CallListener() {
      @Override
      public void started(CallInfo call) {
        call.putMetadata("traceparent", TRACEPARENT);
      }
    };
    CallListener replace = new CallListener() {
      @Override
      public void started(CallInfo call) {
        assertThat(call.metadata().get("traceparent")).contains(TRACEPARENT);
        call.putMetadata("traceparent", "server-span");
      }

      @Override
      public boolean requiresStartBeforeMethod() {
        return true; // its metadata must reach the method's nested calls
      }
    };
    try (TetherServer a = probeServer(replace); TetherServer b = probeServer(null);
        Tether client = Tether.connect(a.address(),
            TetherOptions.defaults().withCallListener(inject))) {
      MetadataProbe probe = client.get(MetadataProbe.class, "probe");
      assertThat(probe.seen()).containsExactly(Map.entry("traceparent", "server-span"));
      assertThat(probe.relay(b.address())).containsExactly(Map.entry("traceparent",
          "server-span"));
      assertThat(CallMetadata.current().isEmpty()).as("the client's own thread is untouched")
          .isTrue();
    }
  }
}
