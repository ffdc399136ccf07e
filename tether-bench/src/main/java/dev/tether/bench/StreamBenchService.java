package dev.tether.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/** What {@link StreamBench} calls in its server JVM: byte streams both ways, and a small call. */
public interface StreamBenchService {
  /** Reads {@code in} to its end (or until it fails) and returns the byte count. */
  long sink(InputStream in) throws IOException;

  /** {@code bytes} bytes (Long.MAX_VALUE: endless), produced as they are read. */
  InputStream source(long bytes);

  /** When (System.nanoTime, comparable across JVMs on Linux) the last transfer stopped here. */
  long stoppedAt();

  /** A small call. */
  int ping(int x);

  /** The implementation. */
  final class Impl implements StreamBenchService {
    private final AtomicLong stoppedAt = new AtomicLong();

    @Override
    public long sink(InputStream in) throws IOException {
      stoppedAt.set(0);
      byte[] b = new byte[64 * 1024];
      long total = 0;
      try {
        int n;
        while ((n = in.read(b)) >= 0) {
          total += n;
        }
        return total;
      } finally {
        stoppedAt.set(System.nanoTime());
      }
    }

    @Override
    public InputStream source(long bytes) {
      stoppedAt.set(0);
      return new ZeroSource(bytes) {
        @Override
        public void close() {
          stoppedAt.set(System.nanoTime());
        }
      };
    }

    @Override
    public long stoppedAt() {
      return stoppedAt.get();
    }

    @Override
    public int ping(int x) {
      return x + 1;
    }
  }

  /** {@code size} zero bytes, as cheap to produce as a stream can be (the bench measures Tether). */
  class ZeroSource extends InputStream {
    private long left;

    ZeroSource(long size) {
      this.left = size;
    }

    @Override
    public int read() {
      if (left <= 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }
}
