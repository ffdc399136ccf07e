package dev.tether.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tether.ErrorCode;
import dev.tether.internal.transport.Link;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.ProtocolException;
import dev.tether.internal.wire.RemoteError;
import java.io.IOException;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link FrameReader}: arbitrary bytes, delivered in chunks of
 * varying size, end in frames, {@link ProtocolException} or {@link IOException} and nothing else;
 * the reader never loops without progress, and allocates no more than one frame's limit plus a
 * small multiple of the bytes it was actually sent. Corpus: {@code FrameReaderFuzzTestInputs},
 * written by {@link FuzzCorpus}.
 */
class FrameReaderFuzzTest {
  /** The reader's frame limit in this target: small, so announced lengths are cheap to test. */
  static final int MAX_FRAME_BYTES = 64 * 1024;
  /** What a reader may allocate beyond frames: its buffer and bookkeeping. */
  private static final long FIXED_ALLOWANCE = 256 * 1024;
  /** Heap bytes per input byte a frame's decoding may cost (strings, lists of strings). */
  private static final long PER_BYTE_ALLOWANCE = 64;

  @FuzzTest
  void frames(byte[] input) throws Exception {
    int frames = readAll(new ChunkedLink(input), new CheckingHandler());
    // Measured on a second pass: the first may load and initialize classes, a one-time cost.
    long before = Allocation.current();
    readAll(new ChunkedLink(input), new CheckingHandler());
    long allocated = Allocation.current() - before;

    assertThat(frames).isLessThanOrEqualTo(input.length / 10);
    assertThat(allocated)
        .as("bytes allocated for %d input bytes", input.length)
        .isLessThanOrEqualTo(FIXED_ALLOWANCE + MAX_FRAME_BYTES
            + PER_BYTE_ALLOWANCE * input.length);
  }

  /** Reads until the end or a rejection; returns the frames dispatched. */
  static int readAll(Link link, FrameHandler handler) {
    FrameReader reader = new FrameReader(link, MAX_FRAME_BYTES);
    int frames = 0;
    // Every poll consumes at least one byte or dispatches a frame: a bound on the loop.
    for (int polls = 0; polls < 10_000_000; polls++) {
      int r;
      try {
        r = reader.poll(handler, 0);
      } catch (ProtocolException | IOException expected) {
        return frames;
      }
      if (r == FrameReader.END) {
        return frames;
      }
      if (r == FrameReader.FRAME) {
        frames++;
      }
    }
    throw new AssertionError("the reader made no progress");
  }

  /** Accepts every kind and checks what the reader hands over. */
  static final class CheckingHandler implements FrameHandler {
    @Override
    public void hello(int version, int maxFrameBytes, String peer) {
      assertThat(peer).isNotNull();
    }

    @Override
    public void resolve(int callId, String name, String iface, List<String> signatures) {
      assertThat(name).isNotNull();
      assertThat(iface).isNotNull();
      assertThat(signatures).doesNotContainNull();
    }

    @Override
    public void call(int callId, int bindingId, int methodIndex, long deadlineNanos, byte[] body,
        int argsOffset) {
      assertThat(argsOffset).isBetween(0, body.length);
      assertThat(deadlineNanos).isGreaterThanOrEqualTo(-1);
    }

    @Override
    public void result(int callId, byte[] body, int offset) {
      assertThat(offset).isBetween(0, body.length);
    }

    @Override
    public void error(int callId, RemoteError error) {
      assertThat(error).isNotNull();
    }

    @Override
    public void resolved(int callId, int bindingId) {}

    @Override
    public void cancel(int callId, boolean callerReleased, boolean deadline, long graceNanos) {}

    @Override
    public void cancelAck(int callId, String message, boolean deadline) {}

    @Override
    public void ping(long value) {}

    @Override
    public void pong(long value) {}

    @Override
    public void goAway(ErrorCode code, String message) {
      assertThat(code).isNotNull();
    }
  }
}
