package dev.tether.internal.transport;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * In-process links over a pair of pipes, addressed by name ({@code mem:name}). For tests and for
 * running client and server in one JVM; it behaves like a socket: blocking reads, close unblocks.
 */
final class MemoryTransport {
  private static final ConcurrentHashMap<String, MemoryListener> LISTENERS =
      new ConcurrentHashMap<>();

  private MemoryTransport() {}

  static Link connect(String name) throws IOException {
    MemoryListener listener = LISTENERS.get(name);
    if (listener == null) {
      throw new ConnectException("nothing listens on mem:" + name);
    }
    Pipe toServer = Pipe.open();
    Pipe toClient = Pipe.open();
    Link client = new NioLink(toClient.source(), toServer.sink(), "mem:" + name,
        Link.WRITE_STALL_NANOS, toClient.source(), toServer.sink());
    Link server = new NioLink(toServer.source(), toClient.sink(), "mem:" + name + " (client)",
        Link.WRITE_STALL_NANOS, toServer.source(), toClient.sink());
    try {
      listener.offer(server);
    } catch (IOException e) {
      client.close();
      throw e;
    }
    return client;
  }

  static Listener listen(String name) throws BindException {
    MemoryListener l = new MemoryListener(name);
    if (LISTENERS.putIfAbsent(name, l) != null) {
      throw new BindException("mem:" + name + " is already in use");
    }
    return l;
  }

  private static final class MemoryListener implements Listener {
    private final String name;
    private final LinkedBlockingQueue<Optional<Link>> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    MemoryListener(String name) {
      this.name = name;
    }

    void offer(Link link) throws IOException {
      queue.add(Optional.of(link));
      if (closed.get()) {
        // Queued behind close()'s end marker, or taken just before it: either way, refused.
        link.close();
        throw new ConnectException("mem:" + name + " is closed");
      }
    }

    @Override
    public Link accept() throws IOException {
      try {
        Optional<Link> l = queue.take();
        if (l.isEmpty()) {
          queue.add(l); // wake the next acceptor too
          throw new ClosedChannelException();
        }
        return l.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClosedChannelException();
      }
    }

    @Override
    public Endpoint endpoint() {
      return Endpoint.memory(name);
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        LISTENERS.remove(name, this);
        queue.add(Optional.empty());
      }
    }
  }
}
