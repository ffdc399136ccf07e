package dev.tether.bench;

import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The hostile or broken peers of the attack benchmark (issue 10), each run from this JVM against
 * the server JVM while the healthy client measures its round trips. {@link #start} returns at once
 * with the attack running on its own threads; closing it stops them and closes every connection.
 */
enum Attack {
  /** Connections that announce a maximal frame (16 MiB) and then send nothing more. */
  HEADER_ONLY("header-only"),
  /** Calls whose 16 MiB of arguments are millions of empty lists, sent again once answered. */
  DECODE_AMPLIFICATION("decode-amplification"),
  /** A client that sends calls returning 64 KiB each as fast as it can and never reads. */
  NEVER_READS("never-reads"),
  /** Many connections that complete HELLO and then stay silent. */
  IDLE_CONNECTIONS("idle-connections"),
  /** Connections that send random bytes (with a plausible length) and hang up, in a loop. */
  GARBAGE("garbage");

  final String id;

  Attack(String id) {
    this.id = id;
  }

  /** How hard each attack pushes: the full run, or the tiny smoke version. */
  record Scale(int headerOnlyConnections, int amplificationConnections, int amplificationBytes,
      int neverReadCalls, int idleConnections, int garbageThreads) {
    static final Scale FULL = new Scale(80, 8, FrameKind.DEFAULT_MAX_FRAME_BYTES - 64, 200_000,
        1000, 4);
    static final Scale QUICK = new Scale(4, 1, 64 * 1024, 200, 20, 1);
  }

  /** A running attack. */
  interface Running extends AutoCloseable {
    /** What it did so far, for the report. */
    String summary();

    /**
     * Waits until the attack is at full strength (every connection open, every first frame sent),
     * at most {@code millis}; false if it did not get there in time.
     */
    boolean awaitFullStrength(long millis) throws InterruptedException;

    /** Stops it and closes its connections; bounded. */
    @Override
    void close();
  }

  /** Starts this attack against {@code address}. */
  Running start(String address, Scale scale) {
    Runner r = new Runner(address, switch (this) {
      case HEADER_ONLY -> scale.headerOnlyConnections();
      case IDLE_CONNECTIONS -> scale.idleConnections();
      case DECODE_AMPLIFICATION -> scale.amplificationConnections();
      case NEVER_READS -> 1;
      case GARBAGE -> 10L * scale.garbageThreads();
    });
    switch (this) {
      case HEADER_ONLY -> r.connections(scale.headerOnlyConnections(), peer ->
          peer.send(new byte[] {1, 0, 0, 0, FrameKind.CALL, 0, 0, 0, 0, 1}), "announced 16 MiB");
      case IDLE_CONNECTIONS -> r.connections(scale.idleConnections(), RawPeer::hello,
          "idle after HELLO");
      case DECODE_AMPLIFICATION -> {
        byte[] call = amplificationCall(scale.amplificationBytes());
        for (int i = 0; i < scale.amplificationConnections(); i++) {
          r.loop(peer -> {
            int binding = peer.handshakeAndResolve("attack", AttackService.class);
            if (binding != 0) {
              throw new IllegalStateException("binding " + binding);
            }
            while (!r.stopped()) {
              peer.send(call);
              r.count();
              if (!peer.awaitAnswer()) {
                return;
              }
            }
          }, "CALL frames of " + call.length + " bytes sent");
        }
      }
      case NEVER_READS -> r.loop(peer -> {
        peer.handshakeAndResolve("attack", AttackService.class);
        byte[] call = blobCall();
        for (int i = 0; i < scale.neverReadCalls() && !r.stopped(); i++) {
          peer.send(call);
          r.count();
        }
      }, "64 KiB-result calls sent, results never read");
      case GARBAGE -> {
        for (int t = 0; t < scale.garbageThreads(); t++) {
          Random random = new Random(t);
          r.repeat(peer -> {
            byte[] junk = new byte[256];
            random.nextBytes(junk);
            junk[0] = 0;
            junk[1] = 0;
            junk[2] = 0;
            junk[3] = (byte) (FrameKind.HEADER_BYTES + random.nextInt(200));
            if (random.nextBoolean()) {
              peer.hello();
            }
            peer.send(junk);
          }, "garbage connections");
        }
      }
      default -> throw new AssertionError(this);
    }
    return r;
  }

  /** CALL count(List<List<String>>) of about {@code bytes} bytes, all of it empty lists. */
  static byte[] amplificationCall(int bytes) {
    MethodCodec count = method("count");
    byte[] none = args(count, List.of());
    byte[] one = args(count, List.of(List.of()));
    byte[] element = Arrays.copyOfRange(one, none.length, one.length);
    int n = (bytes - 32) / element.length;
    ByteWriter w = new ByteWriter(bytes + 64);
    Frames.beginCall(w, 3, 0, index("count"), -1);
    w.writeBytes(none, 0, none.length - 1); // everything but the count, varint 0
    w.writeVarInt(n);
    for (int i = 0; i < n; i++) {
      w.writeBytes(element, 0, element.length);
    }
    Frames.end(w, Integer.MAX_VALUE);
    return Arrays.copyOf(w.array(), w.size());
  }

  private static byte[] blobCall() {
    return RawPeer.frame(w -> {
      Frames.beginCall(w, 5, 0, index("blob"), -1);
      method("blob").encodeArgs(w, new Object[] {64 * 1024});
      Frames.end(w, Integer.MAX_VALUE);
    });
  }

  private static byte[] args(MethodCodec m, List<List<String>> lists) {
    ByteWriter w = new ByteWriter(16);
    m.encodeArgs(w, new Object[] {lists});
    return Arrays.copyOf(w.array(), w.size());
  }

  private static MethodCodec method(String name) {
    return InterfaceSchema.of(AttackService.class).method(index(name));
  }

  private static int index(String name) {
    InterfaceSchema s = InterfaceSchema.of(AttackService.class);
    for (int i = 0; i < s.size(); i++) {
      if (s.method(i).method().getName().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(name);
  }

  /** A step of an attack on one connection. */
  @FunctionalInterface
  interface Step {
    void run(RawPeer peer) throws Exception;
  }

  /** Runs an attack's threads and holds its connections until closed. */
  private static final class Runner implements Running {
    private final String address;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<RawPeer> peers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final long fullStrength;
    private String what = "";

    Runner(String address, long fullStrength) {
      this.address = address;
      this.fullStrength = fullStrength;
    }

    @Override
    public boolean awaitFullStrength(long millis) throws InterruptedException {
      long end = System.nanoTime() + millis * 1_000_000;
      while (count.get() < fullStrength) {
        if (System.nanoTime() > end) {
          return false;
        }
        Thread.sleep(10); // a benchmark's ramp, not synchronisation: polling is enough
      }
      return true;
    }

    boolean stopped() {
      return stop.get();
    }

    void count() {
      count.incrementAndGet();
    }

    /** Opens {@code n} connections, each doing {@code step} once, on one thread; kept open. */
    void connections(int n, Step step, String what) {
      this.what = what + " connections";
      start(() -> {
        for (int i = 0; i < n && !stop.get(); i++) {
          try {
            RawPeer p = RawPeer.connect(address);
            keep(p);
            step.run(p);
            count();
          } catch (Exception e) {
            failed(e);
          }
        }
      });
    }

    /** One connection running {@code body} on its own thread. */
    void loop(Step body, String what) {
      this.what = what;
      start(() -> {
        try {
          RawPeer p = RawPeer.connect(address);
          keep(p);
          body.run(p);
        } catch (Exception e) {
          failed(e);
        }
      });
    }

    /** A thread that connects, runs {@code step}, and closes, until stopped. */
    void repeat(Step step, String what) {
      this.what = what;
      start(() -> {
        while (!stop.get()) {
          try (RawPeer p = RawPeer.connect(address)) {
            step.run(p);
            count();
          } catch (Exception e) {
            failed(e);
          }
        }
      });
    }

    private void start(Runnable r) {
      threads.add(Thread.ofPlatform().daemon().name("attack").start(r));
    }

    private void keep(RawPeer p) {
      synchronized (peers) {
        if (stop.get()) {
          p.close();
        } else {
          peers.add(p);
        }
      }
    }

    private void failed(Exception e) {
      if (!stop.get()) {
        failures.incrementAndGet();
        firstFailure.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }

    @Override
    public String summary() {
      String s = count.get() + " " + what;
      if (failures.get() > 0) {
        s += "; " + failures.get() + " attacker errors (first: " + firstFailure.get() + ")";
      }
      return s.replace('|', '/').replace('\n', ' ');
    }

    @Override
    public void close() {
      stop.set(true);
      List<RawPeer> open;
      synchronized (peers) {
        open = new ArrayList<>(peers);
        peers.clear();
      }
      open.forEach(RawPeer::close);
      for (Thread t : threads) {
        try {
          t.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
