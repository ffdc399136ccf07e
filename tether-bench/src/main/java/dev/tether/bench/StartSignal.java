package dev.tether.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A number shared by the benchmark and a server JVM through a memory-mapped file, outside every
 * transport: a server method stores the sequence number of its call when it starts running, and
 * the canceller waits for that number before it cancels. So every cancel hits a call that is
 * running on the server, without a guessed delay and without disturbing the connection measured.
 */
public final class StartSignal {
  /** The system property that tells a server JVM the file. */
  public static final String PROPERTY = "tether.bench.signal";

  private static final VarHandle LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final StartSignal SERVER = fromProperty();

  private final MappedByteBuffer buffer;
  private final Path file;

  private StartSignal(MappedByteBuffer buffer, Path file) {
    this.buffer = buffer;
    this.file = file;
  }

  /** A fresh signal in a new temporary file (deleted on exit), for the benchmark side. */
  public static StartSignal create() throws IOException {
    Path f = Files.createTempFile("tether-bench-signal", ".bin");
    f.toFile().deleteOnExit();
    return open(f);
  }

  private static StartSignal open(Path f) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      return new StartSignal(ch.map(FileChannel.MapMode.READ_WRITE, 0, Long.BYTES), f);
    }
  }

  private static StartSignal fromProperty() {
    String p = System.getProperty(PROPERTY);
    if (p == null) {
      return null;
    }
    try {
      return open(Path.of(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Server side: records that the call numbered {@code seq} is running (no-op without a file). */
  public static void started(long seq) {
    if (SERVER != null) {
      SERVER.set(seq);
    }
  }

  /** The JVM option that hands this signal to a server JVM. */
  public String jvmArg() {
    return "-D" + PROPERTY + "=" + file;
  }

  /** Stores {@code v}. */
  public void set(long v) {
    LONG.setVolatile(buffer, 0, v);
  }

  /** The number last stored, by either side. */
  public long get() {
    return (long) LONG.getVolatile(buffer, 0);
  }
}
