package dev.tether.bench;

import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The gRPC peer's methods without protoc: {@link MethodDescriptor}s whose hand-written marshallers
 * write the protobuf wire format of equivalent messages ({@code int32 value = 1}, {@code string
 * name = 1; bytes data = 2}, ...), as compactly as generated code would.
 */
final class GrpcProtocol {
  static final String SERVICE = "tether.bench.Bench";

  static final MethodDescriptor.Marshaller<Long> LONG = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(Long v) {
      Out o = new Out();
      o.varintField(1, v);
      return o.stream();
    }

    @Override
    public Long parse(InputStream in) {
      In i = new In(in);
      long v = 0;
      for (int tag; (tag = i.tag()) != 0; ) {
        if (tag == (1 << 3)) {
          v = i.varint();
        } else {
          throw new IllegalArgumentException("unexpected tag " + tag);
        }
      }
      return v;
    }
  };

  static final MethodDescriptor.Marshaller<Integer> INT = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(Integer v) {
      return LONG.stream((long) v);
    }

    @Override
    public Integer parse(InputStream in) {
      return (int) (long) LONG.parse(in);
    }
  };

  static final MethodDescriptor.Marshaller<Payload> PAYLOAD = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(Payload p) {
      Out o = new Out();
      o.bytesField(1, p.name().getBytes(StandardCharsets.UTF_8));
      o.bytesField(2, p.data());
      return o.stream();
    }

    @Override
    public Payload parse(InputStream in) {
      In i = new In(in);
      String name = "";
      byte[] data = new byte[0];
      for (int tag; (tag = i.tag()) != 0; ) {
        switch (tag) {
          case (1 << 3) | 2 -> name = new String(i.bytes(), StandardCharsets.UTF_8);
          case (2 << 3) | 2 -> data = i.bytes();
          default -> throw new IllegalArgumentException("unexpected tag " + tag);
        }
      }
      return new Payload(name, data);
    }
  };

  static final MethodDescriptor.Marshaller<CancelProgress> PROGRESS =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(CancelProgress p) {
          Out o = new Out();
          o.varintField(1, p.started());
          o.varintField(2, p.observed());
          o.varintField(3, p.reachedAtNanos());
          return o.stream();
        }

        @Override
        public CancelProgress parse(InputStream in) {
          In i = new In(in);
          long[] f = new long[4];
          for (int tag; (tag = i.tag()) != 0; ) {
            int field = tag >>> 3;
            if ((tag & 7) != 0 || field < 1 || field > 3) {
              throw new IllegalArgumentException("unexpected tag " + tag);
            }
            f[field] = i.varint();
          }
          return new CancelProgress((int) f[1], (int) f[2], f[3]);
        }
      };

  static final MethodDescriptor<Integer, Integer> ECHO = unary("Echo", INT, INT);
  static final MethodDescriptor<Payload, Payload> ECHO_PAYLOAD =
      unary("EchoPayload", PAYLOAD, PAYLOAD);
  static final MethodDescriptor<Integer, Integer> BLOCK = unary("Block", INT, INT);
  static final MethodDescriptor<Integer, Long> SPIN = unary("Spin", INT, LONG);
  static final MethodDescriptor<Integer, Long> LAST_SEEN = unary("LastSeen", INT, LONG);
  static final MethodDescriptor<Integer, Integer> AWAIT_CANCEL = unary("AwaitCancel", INT, INT);
  static final MethodDescriptor<Integer, Integer> RESET = unary("Reset", INT, INT);
  static final MethodDescriptor<Integer, CancelProgress> PROGRESS_OF =
      unary("Progress", INT, PROGRESS);

  private GrpcProtocol() {}

  private static <Q, R> MethodDescriptor<Q, R> unary(String name,
      MethodDescriptor.Marshaller<Q> req, MethodDescriptor.Marshaller<R> resp) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(req)
        .setResponseMarshaller(resp)
        .build();
  }

  /** Protobuf wire format writer for the few field kinds used here. */
  private static final class Out {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(32);

    void varintField(int field, long v) {
      if (v != 0) { // proto3: default values are not written
        varint((long) field << 3);
        varint(v);
      }
    }

    void bytesField(int field, byte[] b) {
      if (b.length != 0) {
        varint(((long) field << 3) | 2);
        varint(b.length);
        buf.write(b, 0, b.length);
      }
    }

    private void varint(long v) {
      while ((v & ~0x7FL) != 0) {
        buf.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      buf.write((int) v);
    }

    InputStream stream() {
      return new Sized(buf.toByteArray());
    }
  }

  /** A byte stream that tells gRPC its length, so it can size the frame without copying. */
  private static final class Sized extends ByteArrayInputStream implements KnownLength {
    Sized(byte[] b) {
      super(b);
    }
  }

  /** Protobuf wire format reader. */
  private static final class In {
    private final byte[] b;
    private int pos;

    In(InputStream in) {
      try {
        this.b = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    int tag() {
      return pos == b.length ? 0 : (int) varint();
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte x = b[pos++];
        v |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("malformed varint");
    }

    byte[] bytes() {
      int n = (int) varint();
      byte[] out = new byte[n];
      System.arraycopy(b, pos, out, 0, n);
      pos += n;
      return out;
    }
  }
}
