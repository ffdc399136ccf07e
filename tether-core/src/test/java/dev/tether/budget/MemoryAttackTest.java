package dev.tether.budget;

import dev.tether.fixtures.PlainTcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ErrorCode;
import dev.tether.Tether;
import dev.tether.fixtures.BlobService;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.HeapProbe;
import dev.tether.internal.codec.ByteReader;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.wire.EmptyLists;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Memory attacks on a server in its own JVM with a 128 MiB heap that exits on
 * {@code OutOfMemoryError}: an unbounded allocation ends the server and fails the test. Beside
 * each attack a healthy client must keep being served.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MemoryAttackTest {
  private static final int SIXTEEN_MIB = 16 << 20;
  private Process server;
  private String address;
  private final List<SocketChannel> sockets = new ArrayList<>();

  private void startServer(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElseThrow(), "-Xmx128m",
        "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
        AttackedServer.class.getName()));
    cmd.addAll(List.of(args));
    server = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String line = new BufferedReader(new InputStreamReader(server.getInputStream())).readLine();
    assertThat(line).as("the server's first line").startsWith("LISTENING ");
    address = line.substring("LISTENING ".length());
  }

  @AfterEach
  void stop() throws Exception {
    for (SocketChannel s : sockets) {
      s.close();
    }
    if (server != null) {
      server.getOutputStream().close();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private SocketChannel open() throws IOException {
    String[] hostPort = address.substring("tcp:".length()).split(":");
    SocketChannel s = SocketChannel.open(
        new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
    sockets.add(s);
    return s;
  }

  private static void send(SocketChannel s, java.util.function.Consumer<ByteWriter> frame)
      throws IOException {
    ByteWriter w = new ByteWriter(256);
    frame.accept(w);
    s.write(ByteBuffer.wrap(w.array(), 0, w.size()));
  }

  /** A frame as the test reads it: kind, call id, payload. */
  private record Frame(int kind, int callId, byte[] payload) {
    ErrorCode errorCode() {
      return ErrorCode.fromWire(new ByteReader(payload, 0, payload.length).readVarInt());
    }
  }

  /** Reads one frame; null at the end of the stream. */
  private static Frame read(DataInputStream in) throws IOException {
    int length;
    try {
      length = in.readInt();
    } catch (java.io.EOFException e) {
      return null;
    }
    int kind = in.readUnsignedByte();
    in.readUnsignedByte();
    int callId = in.readInt();
    byte[] payload = new byte[length - FrameKind.HEADER_BYTES];
    in.readFully(payload);
    return new Frame(kind, callId, payload);
  }

  /** HELLO, then RESOLVE of {@code name}; returns the stream to read answers from. */
  private DataInputStream handshake(SocketChannel s, String name, Class<?> iface)
      throws IOException {
    send(s, w -> Frames.hello(w, FrameKind.VERSION, SIXTEEN_MIB, "attacker"));
    send(s, w -> Frames.resolve(w, 1, name, iface.getName(),
        InterfaceSchema.of(iface).signatures(), Integer.MAX_VALUE));
    DataInputStream in = new DataInputStream(Channels.newInputStream(s));
    assertThat(read(in).kind()).isEqualTo(FrameKind.HELLO);
    assertThat(read(in).kind()).isEqualTo(FrameKind.RESOLVED);
    return in;
  }

  /**
   * Runs each task on a thread of its own. Not the common pool: it has one worker on two cores,
   * and an attacker blocked in a write there (the server holds off reading it) starved the healthy
   * client's calls queued behind it.
   */
  private static final java.util.concurrent.Executor OWN_THREAD =
      task -> Thread.ofPlatform().daemon().name("memory-attack-test").start(task);

  private static final byte[] SIXTEEN_MIB_HEADER = {1, 0, 0, 0};

  /** The server is alive and a healthy client on its own connection is served. */
  private void healthyClientIsServed() throws Exception {
    try (Tether t = Tether.connect(address, PlainTcp.OPTIONS)) {
      EchoService echo = t.get(EchoService.class, "echo");
      for (int i = 0; i < 20; i++) {
        int v = i;
        assertThat(CompletableFuture.supplyAsync(() -> echo.echo(v), OWN_THREAD)
            .get(10, TimeUnit.SECONDS))
            .isEqualTo(v);
      }
    }
    assertThat(server.isAlive()).isTrue();
  }

  private long serverHeap() {
    try (Tether t = Tether.connect(address, PlainTcp.OPTIONS)) {
      return t.get(HeapProbe.class, "probe").heapUsedAfterGc();
    }
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }

  @Test
  void silentSixteenMebibyteHeadersBeforeTheHandshakeAllocateNothingAndAreClosed()
      throws Exception {
    startServer();
    long before = serverHeap();
    List<SocketChannel> attackers = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      SocketChannel s = open();
      s.write(ByteBuffer.wrap(SIXTEEN_MIB_HEADER));
      attackers.add(s);
    }
    healthyClientIsServed();
    for (SocketChannel s : attackers) { // each is told why, then closed
      DataInputStream in = new DataInputStream(Channels.newInputStream(s));
      Frame f = read(in);
      assertThat(f).isNotNull();
      assertThat(f.kind()).isEqualTo(FrameKind.GOAWAY);
      assertThat(f.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
      assertThat(read(in)).isNull();
    }
    long after = serverHeap();
    System.out.println("80 silent 16 MiB headers before HELLO: server heap " + mib(before)
        + " -> " + mib(after));
    assertThat(after - before).isLessThan(16 << 20);
  }

  @Test
  void silentSixteenMebibyteHeadersAfterTheHandshakeWaitForTheBudget() throws Exception {
    startServer();
    long before = serverHeap();
    for (int i = 0; i < 80; i++) {
      SocketChannel s = open();
      handshake(s, "echo", EchoService.class);
      s.write(ByteBuffer.wrap(SIXTEEN_MIB_HEADER));
    }
    healthyClientIsServed();
    long after = serverHeap();
    System.out.println("80 silent 16 MiB headers after HELLO: server heap " + mib(before)
        + " -> " + mib(after));
    assertThat(after - before).isLessThan(40 << 20); // the server's budget: a quarter of 128
  }

  @Test
  void eightCallsOfEightMillionEmptyListsAreRefusedAndTheirConnectionsStayUsable()
      throws Exception {
    startServer();
    long before = serverHeap();
    int count = InterfaceSchema.of(HeapProbe.class)
        .indexOf(HeapProbe.class.getMethod("count", List.class));
    ByteWriter attack = new ByteWriter(SIXTEEN_MIB);
    Frames.beginCall(attack, 2, 0, count, -1);
    EmptyLists.write(attack, 8_000_000);
    Frames.end(attack, SIXTEEN_MIB);
    List<CompletableFuture<Void>> attackers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      SocketChannel s = open();
      DataInputStream in = handshake(s, "probe", HeapProbe.class);
      attackers.add(CompletableFuture.runAsync(() -> {
        try {
          s.write(ByteBuffer.wrap(attack.array(), 0, attack.size()));
          Frame refused = read(in);
          assertThat(refused.kind()).isEqualTo(FrameKind.ERROR);
          assertThat(refused.callId()).isEqualTo(2);
          assertThat(refused.errorCode()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
          send(s, w -> {
            Frames.beginCall(w, 3, 0, count, -1);
            EmptyLists.write(w, 5);
            Frames.end(w, Integer.MAX_VALUE);
          });
          assertThat(read(in).kind()).isEqualTo(FrameKind.RESULT);
        } catch (IOException e) {
          throw new AssertionError("attacker lost its connection", e);
        }
      }, OWN_THREAD));
    }
    healthyClientIsServed();
    CompletableFuture.allOf(attackers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    healthyClientIsServed();
    long after = serverHeap();
    System.out.println("8 calls of 8 million empty lists: server heap " + mib(before) + " -> "
        + mib(after));
  }

  @Test
  void callsRefusedForTheirSizeInALoopSlowLargeFramesToTheDrainRateWhileSmallCallsGoOn()
      throws Exception {
    int maxFrame = 1 << 20; // the penalty drains a quarter of a maximal frame a second
    startServer("30000", Integer.toString(maxFrame));
    int count = InterfaceSchema.of(HeapProbe.class)
        .indexOf(HeapProbe.class.getMethod("count", List.class));
    int frames = 6;
    ByteBuffer attack = ByteBuffer.allocate(frames * maxFrame);
    for (int i = 0; i < frames; i++) {
      ByteWriter w = new ByteWriter(maxFrame);
      Frames.beginCall(w, 10 + i, 0, count, -1);
      EmptyLists.write(w, (maxFrame - 64) / 2);
      Frames.end(w, maxFrame);
      attack.put(w.array(), 0, w.size());
    }
    attack.flip();
    SocketChannel s = open();
    DataInputStream in = handshake(s, "probe", HeapProbe.class);
    CompletableFuture<long[]> answered = CompletableFuture.supplyAsync(() -> {
      long[] at = new long[frames];
      try {
        for (int i = 0; i < frames; i++) {
          Frame refused = read(in);
          at[i] = System.nanoTime();
          assertThat(refused.kind()).isEqualTo(FrameKind.ERROR);
          assertThat(refused.errorCode()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        }
        return at;
      } catch (IOException e) {
        throw new AssertionError("attacker lost its connection", e);
      }
    }, OWN_THREAD);
    CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
      try {
        while (attack.hasRemaining()) {
          s.write(attack); // blocks while the server does not read
        }
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }, OWN_THREAD);
    healthyClientIsServed();
    long[] at = answered.get(60, TimeUnit.SECONDS);
    sending.get(10, TimeUnit.SECONDS);
    // The first frames cost the allowance (a frame or two more may be read while the earlier ones
    // decode); each later one waits for four seconds of drain: well over the 4 s that four
    // frames took at the old rate of one maximal frame a second.
    double seconds = (at[frames - 1] - at[1]) / 1e9;
    System.out.printf("%d refused 1 MiB calls: the last %d answered over %.2f s%n", frames,
        frames - 2, seconds);
    assertThat(seconds).as("seconds between the 2nd and the last refusal").isGreaterThan(6.0);
    healthyClientIsServed();
  }

  @Test
  void aClientThatNeverReadsIsBoundedThenDisconnectedAfterTheStall() throws Exception {
    startServer("2000");
    long before = serverHeap();
    int make = InterfaceSchema.of(BlobService.class)
        .indexOf(BlobService.class.getMethod("make", int.class));
    SocketChannel s = open();
    handshake(s, "blob", BlobService.class);
    AtomicLong sent = new AtomicLong();
    CompletableFuture<Throwable> attacker = CompletableFuture.supplyAsync(() -> {
      ByteWriter w = new ByteWriter(64);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      try {
        for (int i = 0; System.nanoTime() - end < 0; i++) { // until the server gives up on us
          w.reset();
          Frames.beginCall(w, 10 + i, 0, make, -1);
          w.writeInt(64 * 1024);
          Frames.end(w, Integer.MAX_VALUE);
          s.write(ByteBuffer.wrap(w.array(), 0, w.size()));
          sent.incrementAndGet();
        }
        return null; // still connected after a minute
      } catch (IOException e) {
        return e; // the server gave up on us
      }
    }, OWN_THREAD);
    healthyClientIsServed();
    long during = serverHeap();
    healthyClientIsServed();
    Throwable end = attacker.get(90, TimeUnit.SECONDS);
    assertThat(end).as("the server disconnects the client that does not read").isNotNull();
    healthyClientIsServed();
    long after = serverHeap();
    System.out.println("a client that never reads (" + sent.get() + " calls sent, 64 KiB each):"
        + " server heap " + mib(before) + " -> " + mib(during) + " during -> " + mib(after));
    assertThat(during - before).isLessThan(64 << 20);
  }
}
