package dev.tether.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.TetherServer;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calls that reach the server together are answered together: the reader that finds further
 * calls already read holds its answers back until it has run them, then writes them in one
 * system call (issue 14: 16 callers over TCP made one write per call on the server).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AnswerBatchingTest {
  private static final int BATCH = 16;

  /** A quick method that notes which server thread ran it. */
  public interface Where {
    /** Returns {@code x}. */
    int echo(int x);
  }

  final Set<String> threads = ConcurrentHashMap.newKeySet();
  TetherServer server;
  Link link;
  int nextId = 10;

  @BeforeEach
  void start() throws Exception {
    server = TetherServer.builder()
        .export("where", Where.class, x -> {
          threads.add(Thread.currentThread().getName());
          return x;
        })
        .start(); // a Unix socket: a single write arrives whole, so reads show write boundaries
    link = Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(10));
    send(List.of(frame(w -> Frames.hello(w, FrameKind.VERSION, 1 << 20, "batching test"))));
    send(List.of(frame(w -> Frames.resolve(w, 1, "where", Where.class.getName(),
        InterfaceSchema.of(Where.class).signatures(), Integer.MAX_VALUE))));
    readFrames(2); // HELLO, RESOLVED
  }

  @AfterEach
  void stop() {
    link.close();
    server.close();
  }

  @Test
  void answersToCallsReadTogetherLeaveInOneWrite() throws Exception {
    int counted = 0;
    for (int attempt = 0; attempt < 200 && counted < 5; attempt++) {
      earnInlining();
      threads.clear();
      List<byte[]> calls = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        calls.add(call(i));
      }
      send(calls); // one write: the server reads all of them at once
      List<Integer> perRead = readFrames(BATCH);
      if (!ranOnlyOnReader()) {
        continue; // a run was slow (the machine is busy) and the rest went to other threads
      }
      counted++;
      assertThat(perRead).as("answers per read (one write each)").containsExactly(BATCH);
    }
    assertThat(counted).as("batches run entirely on the reader").isEqualTo(5);
  }

  /** Calls one at a time until the method runs on the reader (it must have been fast lately). */
  private void earnInlining() throws Exception {
    for (int i = 0; i < 10_000; i++) {
      threads.clear();
      send(List.of(call(i)));
      readFrames(1);
      if (ranOnlyOnReader()) {
        return;
      }
    }
    throw new AssertionError("the method never ran inline in 10,000 calls");
  }

  private boolean ranOnlyOnReader() {
    return !threads.isEmpty()
        && threads.stream().allMatch(t -> t.startsWith("tether-server-reader"));
  }

  private byte[] call(int x) throws Exception {
    int method = InterfaceSchema.of(Where.class).indexOf(Where.class.getMethod("echo", int.class));
    int id = nextId++;
    return frame(w -> {
      Frames.beginCall(w, id, 0, method, -1);
      w.writeInt(x);
      Frames.end(w, Integer.MAX_VALUE);
    });
  }

  private static byte[] frame(java.util.function.Consumer<ByteWriter> build) {
    ByteWriter w = new ByteWriter(64);
    build.accept(w);
    return java.util.Arrays.copyOf(w.array(), w.size());
  }

  private void send(List<byte[]> frames) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(frames.stream().mapToInt(f -> f.length).sum());
    frames.forEach(b::put);
    link.write(b.flip());
  }

  /** Reads until {@code n} whole frames arrived; returns how many frames each read completed. */
  private List<Integer> readFrames(int n) throws Exception {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    List<Integer> perRead = new ArrayList<>();
    int total = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (total < n) {
      assertThat(System.nanoTime()).as("answers within 30 s").isLessThan(deadline);
      if (link.tryRead(buf) == 0) {
        link.awaitReadable(TimeUnit.MILLISECONDS.toNanos(100));
        continue;
      }
      int frames = 0;
      buf.flip();
      while (buf.remaining() >= 4 && buf.remaining() - 4 >= buf.getInt(buf.position())) {
        buf.position(buf.position() + 4 + buf.getInt(buf.position()));
        frames++;
      }
      buf.compact();
      perRead.add(frames);
      total += frames;
    }
    return perRead;
  }
}
