package dev.tether.internal.wire;

import dev.tether.ErrorCode;
import dev.tether.internal.codec.ByteReader;
import dev.tether.internal.codec.ByteWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Encodes and decodes the payload of ERROR frames. */
public final class ErrorPayload {
  /** At most this many exceptions of a cause chain travel. */
  static final int MAX_CHAIN = 16;
  /** At most this many stack frames per exception travel. */
  static final int MAX_FRAMES = 256;

  private ErrorPayload() {}

  /** Writes {@code code}, {@code message} and, if not null, the chain of {@code thrown}. */
  public static void write(ByteWriter w, ErrorCode code, String message, Throwable thrown) {
    w.writeVarInt(code.wireValue());
    writeNullable(w, message);
    List<Throwable> chain = chainOf(thrown);
    w.writeVarInt(chain.size());
    for (Throwable t : chain) {
      w.writeString(t.getClass().getName());
      writeNullable(w, t.getMessage());
      StackTraceElement[] stack = t.getStackTrace();
      int n = Math.min(stack.length, MAX_FRAMES);
      w.writeVarInt(n);
      for (int i = 0; i < n; i++) {
        StackTraceElement e = stack[i];
        w.writeString(e.getClassName());
        w.writeString(e.getMethodName());
        writeNullable(w, e.getFileName());
        w.writeVarLong(e.getLineNumber());
      }
    }
  }

  private static List<Throwable> chainOf(Throwable thrown) {
    if (thrown == null) {
      return List.of();
    }
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = thrown; t != null && chain.size() < MAX_CHAIN && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  /** Reads what {@link #write} wrote. Throws {@code DecodeException} for malformed bytes. */
  public static RemoteError read(ByteReader r) {
    return read(r, false);
  }

  /**
   * Reads an ERROR payload; {@code refused} (the frame's {@link FrameKind#FLAG_REFUSED}) means a
   * retry-after hint follows it.
   */
  public static RemoteError read(ByteReader r, boolean refused) {
    ErrorCode code = ErrorCode.fromWire(r.readVarInt());
    String message = readNullable(r);
    int n = Math.min(r.readCount(), MAX_CHAIN);
    List<RemoteError.ThrowableInfo> chain = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String type = r.readString();
      String msg = readNullable(r);
      int frames = r.readCount();
      StackTraceElement[] stack = new StackTraceElement[frames];
      for (int f = 0; f < frames; f++) {
        String cls = r.readString();
        String method = r.readString();
        String file = readNullable(r);
        int line = (int) r.readVarLong();
        stack[f] = new StackTraceElement(cls, method, file, line);
      }
      chain.add(new RemoteError.ThrowableInfo(type, msg, stack));
    }
    if (!refused) {
      return new RemoteError(code, message, List.copyOf(chain));
    }
    long retryAfter = r.readVarLong();
    if (retryAfter < 0) {
      throw new dev.tether.internal.codec.DecodeException("negative retry-after hint");
    }
    return new RemoteError(code, message, List.copyOf(chain), true, retryAfter);
  }

  static void writeNullable(ByteWriter w, String s) {
    if (s == null) {
      w.writeBoolean(false);
    } else {
      w.writeBoolean(true);
      w.writeString(s);
    }
  }

  static String readNullable(ByteReader r) {
    return r.readBoolean() ? r.readString() : null;
  }
}
