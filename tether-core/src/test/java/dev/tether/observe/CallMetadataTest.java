package dev.tether.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.CallMetadata;
import dev.tether.Registration;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.MetadataPayload;
import dev.tether.internal.wire.ProtocolException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Metadata values, their limits, their scoping on a thread, and their wire form. */
class CallMetadataTest {
  @Test
  void entriesKeepTheirOrderAndALaterValueReplacesAnEarlierOne() {
    CallMetadata m = CallMetadata.of("a", "1", "b", "2").plus("a", "3");
    assertThat(m.asMap()).containsExactly(java.util.Map.entry("a", "3"),
        java.util.Map.entry("b", "2"));
    assertThat(m.minus("a").asMap()).containsOnlyKeys("b");
    assertThat(m.minus("a").minus("b")).isSameAs(CallMetadata.empty());
    assertThat(m.get("c")).isEmpty();
  }

  @Test
  void limitsAreCheckedWhenMetadataIsBuilt() {
    assertThatThrownBy(() -> CallMetadata.empty().plus("Upper", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a-z");
    assertThatThrownBy(() -> CallMetadata.empty().plus("k".repeat(65), "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64");
    assertThatThrownBy(() -> CallMetadata.empty().plus("k", "v".repeat(1025)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024");
    CallMetadata full = CallMetadata.empty();
    for (int i = 0; i < CallMetadata.MAX_ENTRIES; i++) {
      full = full.plus("k" + i, "v");
    }
    CallMetadata sixteen = full;
    assertThatThrownBy(() -> sixteen.plus("one-more", "v"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 entries");
    CallMetadata big = CallMetadata.empty();
    for (int i = 0; i < 3; i++) {
      big = big.plus("k" + i, "v".repeat(1024));
    }
    CallMetadata three = big;
    assertThatThrownBy(() -> three.plus("k3", "v".repeat(1024)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4096");
  }

  @Test
  void withIsScopedToTheThreadAndRestoresWhatWasCurrent() throws Exception {
    try (Registration outer = CallMetadata.with("a", "1")) {
      try (Registration inner = CallMetadata.with("b", "2")) {
        assertThat(CallMetadata.current().asMap()).containsOnlyKeys("a", "b");
        Thread other = Thread.ofPlatform().start(
            () -> assertThat(CallMetadata.current().isEmpty()).isTrue());
        other.join();
      }
      assertThat(CallMetadata.current().asMap()).containsOnlyKeys("a");
    }
    assertThat(CallMetadata.current().isEmpty()).isTrue();
  }

  @Test
  void aCallWithoutMetadataIsTheSameFrameAsBefore() {
    ByteWriter plain = new ByteWriter(64);
    Frames.beginCall(plain, 7, 1, 2, 1000);
    ByteWriter empty = new ByteWriter(64);
    Frames.beginCall(empty, 7, 1, 2, 1000, CallMetadata.empty());
    assertThat(Arrays.copyOf(empty.array(), empty.size()))
        .isEqualTo(Arrays.copyOf(plain.array(), plain.size()));
  }

  @Test
  void metadataRoundTripsThroughTheCallFrame() throws Exception {
    CallMetadata m = CallMetadata.of("traceparent", "00-abc-def-01", "tenant", "blue");
    ByteWriter w = new ByteWriter(64);
    Frames.beginCall(w, 7, 1, 2, -1, m);
    w.writeInt(42); // the arguments follow
    byte[] body = Arrays.copyOfRange(w.array(), FrameKind.LENGTH_BYTES, w.size());
    int afterMethod = FrameKind.HEADER_BYTES + 2; // binding and method index: one byte each
    MetadataPayload.Read read = MetadataPayload.read(body, afterMethod);
    assertThat(read.metadata()).isEqualTo(m);
    assertThat(body.length - read.argsOffset()).isEqualTo(4);
  }

  @Test
  void aPeerThatSendsMoreThanTheLimitsBreaksTheProtocol() {
    ByteWriter w = new ByteWriter(64);
    Frames.begin(w, FrameKind.CALL, FrameKind.FLAG_METADATA, 7);
    w.writeVarInt(1);
    w.writeVarInt(2);
    int afterMethod = w.size() - FrameKind.LENGTH_BYTES;
    w.writeVarInt(CallMetadata.MAX_ENTRIES + 1);
    byte[] body = Arrays.copyOfRange(w.array(), FrameKind.LENGTH_BYTES, w.size());
    assertThatThrownBy(() -> MetadataPayload.read(body, afterMethod))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("17 metadata entries");
  }
}
