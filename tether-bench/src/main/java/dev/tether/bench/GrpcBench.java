package dev.tether.bench;

import static dev.tether.bench.GrpcProtocol.AWAIT_CANCEL;
import static dev.tether.bench.GrpcProtocol.BLOCK;
import static dev.tether.bench.GrpcProtocol.ECHO;
import static dev.tether.bench.GrpcProtocol.ECHO_PAYLOAD;
import static dev.tether.bench.GrpcProtocol.LAST_SEEN;
import static dev.tether.bench.GrpcProtocol.PROGRESS_OF;
import static dev.tether.bench.GrpcProtocol.RESET;
import static dev.tether.bench.GrpcProtocol.SPIN;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * gRPC-java over Netty (grpc-netty-shaded), loopback TCP, one channel (one HTTP/2 connection),
 * default executors. Cancellation maps cleanly: a cancelled {@link Context} (or a cancelled call
 * future) releases the caller and resets the stream; the server's call Context is cancelled.
 */
public final class GrpcBench extends SystemBench {
  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

  private ServerProcess server;
  private ManagedChannel channel;

  /** The gRPC peer. */
  public GrpcBench(BenchPlan plan) {
    super("grpc", plan);
  }

  @Override
  protected void start() throws Exception {
    server = startServer("grpc");
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  private <Q, R> R unary(io.grpc.MethodDescriptor<Q, R> method, Q request) {
    return ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT, request);
  }

  @Override
  protected List<Row> measure(Metric m) throws Exception {
    Payload payload = Payload.sample();
    return switch (m) {
      case RTT -> one(latencyRow(m, Measure.latency(plan, () -> unary(ECHO, 7)),
          "blocking unary call"));
      case RTT_RECORD -> one(latencyRow(m, Measure.latency(plan, () -> unary(ECHO_PAYLOAD, payload)),
          "hand-written protobuf-format marshaller"));
      case THROUGHPUT_16 -> one(throughputRow(() -> unary(ECHO, 7), "16 threads, one channel"));
      case CANCEL_RELEASE, CANCEL_RELEASE_COLD -> one(cancelRow(m, new ReleaseProbe(),
          "Context.CancellableContext.cancel until the caller catches CANCELLED"));
      case CANCEL_OBSERVE, CANCEL_OBSERVE_COLD -> one(cancelRow(m, new ObserveProbe(),
          "Context.cancel until ServerCallStreamObserver.isCancelled(); read back by a 2nd call"));
      case CANCEL_10K_RELEASE, CANCEL_10K_OBSERVE, MEM_PER_PENDING -> pendingRows(
          new PendingCalls(), "futureUnaryCall, future.cancel(true); server onCancelHandler");
      case CANCEL_OVERHEAD -> one(Row.notApplicable(name, m,
          "every gRPC call is cancellable (it carries a Context); there is no switch to compare"));
      default -> one(Row.notApplicable(name, m, "not measured for this system"));
    };
  }

  /** A blocking call in a cancellable Context; the canceller cancels the Context. */
  private class ReleaseProbe implements Measure.CancelProbe {
    final AtomicReference<Context.CancellableContext> current = new AtomicReference<>();

    @Override
    public long call(int seq) throws Exception {
      Context.CancellableContext ctx = Context.current().withCancellation();
      current.set(ctx);
      try {
        ctx.call(() -> unary(BLOCK, seq));
        return -1;
      } catch (StatusRuntimeException e) {
        long now = System.nanoTime();
        return e.getStatus().getCode() == Status.Code.CANCELLED ? now : -1;
      } finally {
        current.set(null);
      }
    }

    @Override
    public void cancel(Thread caller) {
      Context.CancellableContext ctx = current.get();
      if (ctx != null) {
        ctx.cancel(null);
      }
    }
  }

  /**
   * The server spins until its call Context is cancelled, and records when; a cancelled gRPC call
   * cannot answer, so the caller reads the time back with a second call after it is released.
   */
  private final class ObserveProbe extends ReleaseProbe {
    @Override
    public long call(int mine) throws Exception {
      Context.CancellableContext ctx = Context.current().withCancellation();
      current.set(ctx);
      try {
        ctx.call(() -> unary(SPIN, mine));
        return -1;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.CANCELLED) {
          throw e;
        }
      } finally {
        current.set(null);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() - deadline < 0) {
        long seen = unary(LAST_SEEN, mine);
        if (seen != 0) {
          return seen;
        }
      }
      return -1;
    }
  }

  @Override
  protected ScaleTarget scaleTarget() {
    return new ScaleTarget(() -> unary(ECHO, 7), PendingCalls::new);
  }

  /** Asynchronous calls on the channel, each cancelled through its future. */
  private final class PendingCalls extends FuturesProbe {
    @Override
    public void reset(int n) {
      unary(RESET, n);
    }

    @Override
    public void start(Runnable released) {
      ListenableFuture<Integer> f =
          ClientCalls.futureUnaryCall(channel.newCall(AWAIT_CANCEL, CallOptions.DEFAULT), 1);
      f.addListener(released, MoreExecutors.directExecutor());
      track(f);
    }

    @Override
    public CancelProgress progress() {
      return unary(PROGRESS_OF, 0);
    }
  }

  @Override
  public List<String> notes() {
    return List.of("grpc: grpc-java with grpc-netty-shaded, no protoc: MethodDescriptors with a "
        + "hand-written marshaller that writes the protobuf wire format of equivalent messages; "
        + "default executors; one ManagedChannel shared by all callers.",
        "grpc cancel_observe: the handler spins on ServerCallStreamObserver.isCancelled(); a "
            + "cancelled call cannot answer, so the caller reads the server's timestamp with a "
            + "second call after it was released (outside the measured interval).");
  }

  @Override
  public void close() {
    try {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /** The gRPC server: Netty on 127.0.0.1 with a free port. */
  public static final class Server implements AutoCloseable {
    private final io.grpc.Server server;

    private Server(io.grpc.Server server) {
      this.server = server;
    }

    /** Starts serving. */
    public static Server start() throws java.io.IOException {
      ServerCounters counters = ServerCounters.INSTANCE;
      ServerServiceDefinition def = GrpcStreams.addTo(ServerServiceDefinition
          .builder(GrpcProtocol.SERVICE)
          .addMethod(ECHO, ServerCalls.asyncUnaryCall(Server::reply))
          .addMethod(ECHO_PAYLOAD, ServerCalls.asyncUnaryCall(Server::reply))
          .addMethod(BLOCK, ServerCalls.asyncUnaryCall((Integer seq, StreamObserver<Integer> o) -> {
            ((ServerCallStreamObserver<Integer>) o).setOnCancelHandler(() -> {});
            StartSignal.started(seq);
          }))
          .addMethod(SPIN, ServerCalls.asyncUnaryCall((Integer seq, StreamObserver<Long> o) -> {
            ServerCallStreamObserver<Long> call = (ServerCallStreamObserver<Long>) o;
            StartSignal.started(seq);
            counters.seen(seq, ServerCounters.spinUntil(call::isCancelled, MINUTE_NANOS));
          }))
          .addMethod(LAST_SEEN, ServerCalls.asyncUnaryCall((Integer seq, StreamObserver<Long> o) ->
              reply(counters.lastSeen(seq), o)))
          .addMethod(AWAIT_CANCEL, ServerCalls.asyncUnaryCall(
              (Integer req, StreamObserver<Integer> o) -> {
                counters.started();
                ((ServerCallStreamObserver<Integer>) o).setOnCancelHandler(counters::observed);
              }))
          .addMethod(RESET, ServerCalls.asyncUnaryCall((Integer n, StreamObserver<Integer> o) -> {
            counters.reset(n);
            reply(n, o);
          }))
          .addMethod(PROGRESS_OF, ServerCalls.asyncUnaryCall(
              (Integer x, StreamObserver<CancelProgress> o) -> reply(counters.progress(), o))))
          .build(); // with StreamBench's streaming methods (GrpcStreams)
      io.grpc.Server s = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .addService(def)
          .build()
          .start();
      return new Server(s);
    }

    private static <T> void reply(T value, StreamObserver<T> o) {
      o.onNext(value);
      o.onCompleted();
    }

    /** {@code tcp:127.0.0.1:port}. */
    public String address() {
      return "tcp:127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
      try {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

}
