package dev.tether.internal.wire;

import dev.tether.CallMetadata;
import dev.tether.internal.codec.ByteReader;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.DecodeException;

/**
 * The metadata part of a CALL frame (present when {@link FrameKind#FLAG_METADATA} is set):
 * varint n, then n times a key and a value as strings. A receiver checks the limits of
 * {@link CallMetadata}; a peer that breaks them breaks the protocol.
 */
public final class MetadataPayload {
  private MetadataPayload() {}

  /** Metadata read from a CALL, and where the arguments begin after it. */
  public record Read(CallMetadata metadata, int argsOffset) {}

  static void write(ByteWriter w, CallMetadata m) {
    int n = m.size();
    w.writeVarInt(n);
    for (int i = 0; i < n; i++) {
      w.writeString(m.key(i));
      w.writeString(m.value(i));
    }
  }

  /**
   * Reads the metadata of a CALL whose arguments (as the frame reader saw them) begin at
   * {@code offset}: when the frame has no metadata, none and {@code offset} unchanged.
   *
   * @throws ProtocolException when the metadata is malformed or breaks a limit
   */
  public static Read read(byte[] body, int offset) throws ProtocolException {
    if ((body[1] & FrameKind.FLAG_METADATA) == 0) {
      return new Read(CallMetadata.empty(), offset);
    }
    ByteReader r = new ByteReader(body, offset, body.length - offset);
    try {
      int n = r.readVarInt();
      if (n <= 0 || n > CallMetadata.MAX_ENTRIES) {
        throw new ProtocolException("CALL with " + n + " metadata entries (1 to "
            + CallMetadata.MAX_ENTRIES + " allowed)");
      }
      String[] kv = new String[2 * n];
      for (int i = 0; i < kv.length; i++) {
        kv[i] = r.readString();
        if (kv[i] == null) {
          throw new ProtocolException("CALL with a null metadata string");
        }
      }
      return new Read(CallMetadata.of(kv), r.position());
    } catch (DecodeException e) {
      throw new ProtocolException("malformed CALL metadata: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("CALL metadata over the limits: " + e.getMessage(), e);
    }
  }
}
