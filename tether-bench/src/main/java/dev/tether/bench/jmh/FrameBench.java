package dev.tether.bench.jmh;

import dev.tether.bench.BenchService;
import dev.tether.bench.Payload;
import dev.tether.internal.codec.ByteReader;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.wire.FrameBuffers;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.FrameWriter;
import dev.tether.internal.wire.Frames;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Tether's framing: building a CALL frame (header, arguments, length) and writing it through a
 * {@link FrameWriter}, and reading one with a {@link FrameReader} (parse and dispatch, then decode
 * the arguments), over an in-memory {@link MemoryLink} so that no system call is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameBench {
  /** The call in the frame: {@code echo(int)} or {@code echoPayload(Payload)}. */
  @Param({"echo", "echoPayload"})
  public String call;

  private MethodCodec codec;
  private Object[] args;
  private FrameWriter writer;
  private FrameReader reader;
  private Handler handler;

  /** A handler that decodes the arguments of each CALL. */
  private static final class Handler implements FrameHandler {
    private final MethodCodec codec;
    Blackhole bh;

    Handler(MethodCodec codec) {
      this.codec = codec;
    }

    @Override
    public void call(int callId, int bindingId, int methodIndex, long deadlineNanos, byte[] body,
        int argsOffset) {
      bh.consume(codec.decodeArgs(new ByteReader(body, argsOffset, body.length - argsOffset)));
    }
  }

  /** Builds the codec and one encoded frame for the reader to replay. */
  @Setup
  public void setUp() throws NoSuchMethodException {
    codec = MethodCodec.of(call.equals("echo")
        ? BenchService.class.getMethod("echo", int.class)
        : BenchService.class.getMethod("echoPayload", Payload.class));
    args = call.equals("echo") ? new Object[] {7} : new Object[] {Payload.sample()};
    writer = new FrameWriter(new MemoryLink(new byte[0]), e -> { });
    ByteWriter w = new ByteWriter(2048);
    Frames.beginCall(w, 42, 0, 1, -1);
    codec.encodeArgs(w, args);
    Frames.end(w, Integer.MAX_VALUE);
    byte[] frame = Arrays.copyOf(w.array(), w.size());
    reader = new FrameReader(new MemoryLink(frame), Integer.MAX_VALUE);
    handler = new Handler(codec);
  }

  /** Encodes a CALL frame into the thread's frame buffer and writes it to the link. */
  @Benchmark
  public int writeCall() throws IOException {
    ByteWriter w = FrameBuffers.acquire();
    try {
      Frames.beginCall(w, 42, 0, 1, -1);
      codec.encodeArgs(w, args);
      Frames.end(w, Integer.MAX_VALUE);
      writer.write(w);
      return w.size();
    } finally {
      FrameBuffers.release(w);
    }
  }

  /** Reads one CALL frame from the link, dispatches it and decodes its arguments. */
  @Benchmark
  public boolean readCall(Blackhole bh) throws Exception {
    handler.bh = bh;
    return reader.next(handler);
  }
}
