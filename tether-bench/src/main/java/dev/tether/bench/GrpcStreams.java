package dev.tether.bench;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * gRPC-java's streaming beside Tether's streams ({@link StreamBench}): client streaming
 * ({@code Upload}: 64 KiB messages in, the byte count back) and server streaming
 * ({@code Download}: a byte count in, 64 KiB messages back), each message the protobuf encoding
 * of {@code bytes data = 1}. Both sides honour gRPC's flow control the way its documentation
 * asks (send only while {@code isReady()}, resume in {@code onReady}), so neither side buffers
 * without bound, as Tether's window does.
 */
final class GrpcStreams {
  /** Bytes of data per message. */
  static final int MESSAGE_BYTES = 64 * 1024;

  /** {@code bytes data = 1}: a message of the data bytes. */
  static final MethodDescriptor.Marshaller<byte[]> CHUNK = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] data) {
      byte[] framed = new byte[1 + varintSize(data.length) + data.length];
      int at = 0;
      framed[at++] = (1 << 3) | 2;
      for (int v = data.length; ; v >>>= 7) {
        if ((v & ~0x7F) == 0) {
          framed[at++] = (byte) v;
          break;
        }
        framed[at++] = (byte) ((v & 0x7F) | 0x80);
      }
      System.arraycopy(data, 0, framed, at, data.length);
      return new Sized(framed);
    }

    @Override
    public byte[] parse(InputStream in) {
      try {
        int tag = in.read();
        if (tag < 0) {
          return new byte[0];
        }
        if (tag != ((1 << 3) | 2)) {
          throw new IllegalArgumentException("unexpected tag " + tag);
        }
        int len = 0;
        for (int shift = 0; ; shift += 7) {
          int b = in.read();
          len |= (b & 0x7F) << shift;
          if ((b & 0x80) == 0) {
            break;
          }
        }
        return in.readNBytes(len);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static final MethodDescriptor<byte[], Long> UPLOAD = MethodDescriptor.<byte[], Long>newBuilder()
      .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(GrpcProtocol.SERVICE, "Upload"))
      .setRequestMarshaller(CHUNK)
      .setResponseMarshaller(GrpcProtocol.LONG)
      .build();

  static final MethodDescriptor<Long, byte[]> DOWNLOAD = MethodDescriptor.<Long, byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(GrpcProtocol.SERVICE, "Download"))
      .setRequestMarshaller(GrpcProtocol.LONG)
      .setResponseMarshaller(CHUNK)
      .build();

  private GrpcStreams() {}

  private static int varintSize(int v) {
    int n = 1;
    while ((v & ~0x7F) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** Adds the streaming methods to the bench's gRPC service. */
  static ServerServiceDefinition.Builder addTo(ServerServiceDefinition.Builder def) {
    return def
        .addMethod(UPLOAD, ServerCalls.asyncClientStreamingCall(GrpcStreams::upload))
        .addMethod(DOWNLOAD, ServerCalls.asyncServerStreamingCall(GrpcStreams::download));
  }

  private static StreamObserver<byte[]> upload(StreamObserver<Long> reply) {
    return new StreamObserver<>() {
      long total;

      @Override
      public void onNext(byte[] chunk) {
        total += chunk.length;
      }

      @Override
      public void onError(Throwable t) {
        // the client gave up
      }

      @Override
      public void onCompleted() {
        reply.onNext(total);
        reply.onCompleted();
      }
    };
  }

  /** Sends {@code bytes} in 64 KiB messages, only while the transport is ready for more. */
  private static void download(Long bytes, StreamObserver<byte[]> out) {
    ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) out;
    byte[] chunk = new byte[MESSAGE_BYTES];
    long[] left = {bytes};
    boolean[] done = {false};
    call.setOnReadyHandler(() -> { // serialized with the other callbacks of this call
      while (call.isReady() && left[0] > 0) {
        int n = (int) Math.min(chunk.length, left[0]);
        call.onNext(n == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, n));
        left[0] -= n;
      }
      if (left[0] == 0 && !done[0]) {
        done[0] = true;
        call.onCompleted();
      }
    });
  }

  /** Client streaming: sends {@code bytes} zero bytes in 64 KiB messages; returns the count. */
  static long upload(ManagedChannel channel, long bytes) throws Exception {
    ClientCall<byte[], Long> call = channel.newCall(UPLOAD, CallOptions.DEFAULT);
    Semaphore ready = new Semaphore(0);
    CompletableFuture<Long> result = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(Long count) {
        result.complete(count);
      }

      @Override
      public void onReady() {
        ready.release();
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        if (!status.isOk()) {
          result.completeExceptionally(status.asRuntimeException(trailers));
        }
      }
    }, new Metadata());
    call.request(1);
    byte[] chunk = new byte[MESSAGE_BYTES];
    for (long left = bytes; left > 0; ) {
      while (!call.isReady()) {
        if (!ready.tryAcquire(30, TimeUnit.SECONDS)) {
          call.cancel("stalled", null);
          throw new IllegalStateException("gRPC upload made no progress for 30 s");
        }
      }
      int n = (int) Math.min(chunk.length, left);
      call.sendMessage(n == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, n));
      left -= n;
    }
    call.halfClose();
    return result.get(60, TimeUnit.SECONDS);
  }

  /** Server streaming: reads {@code bytes} in 64 KiB messages with the blocking stub. */
  static long download(ManagedChannel channel, long bytes) {
    Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(channel, DOWNLOAD,
        CallOptions.DEFAULT, bytes);
    long total = 0;
    while (it.hasNext()) {
      total += it.next().length;
    }
    return total;
  }

  /** A byte stream that tells gRPC its length, so it can size the frame without copying. */
  private static final class Sized extends ByteArrayInputStream implements KnownLength {
    Sized(byte[] b) {
      super(b);
    }
  }
}
