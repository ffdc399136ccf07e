package dev.tether.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.util.List;

/**
 * Java RMI (JDK): a registry and the exported object in the server JVM, loopback TCP, Java
 * serialization. RMI has no call cancellation, so only the call metrics apply.
 */
public final class RmiBench extends SystemBench {
  private static final String NO_CANCEL = "Java RMI has no call cancellation (a blocked call can "
      + "only be abandoned; the server is never told)";

  private ServerProcess server;
  private RmiService svc;

  /** The RMI peer. */
  public RmiBench(BenchPlan plan) {
    super("rmi", plan);
  }

  @Override
  protected void start() throws Exception {
    server = startServer("rmi");
    Registry registry = LocateRegistry.getRegistry("127.0.0.1", server.port());
    svc = (RmiService) registry.lookup("svc");
  }

  @Override
  protected List<Row> measure(Metric m) throws Exception {
    Payload payload = Payload.sample();
    return switch (m) {
      case RTT -> one(latencyRow(m, Measure.latency(plan, () -> svc.echo(7)), ""));
      case RTT_RECORD -> one(latencyRow(m, Measure.latency(plan, () -> svc.echoPayload(payload)),
          "Java serialization"));
      case THROUGHPUT_16 -> one(throughputRow(() -> svc.echo(7),
          "16 threads, one stub; RMI opens one TCP connection per concurrent call"));
      case MEM_PER_PENDING, CANCEL_10K_RELEASE, CANCEL_10K_OBSERVE -> one(Row.notApplicable(name, m,
          "RMI has no cancellation and no asynchronous calls: 10,000 pending calls need 10,000 "
              + "blocked threads and TCP connections"));
      default -> one(Row.notApplicable(name, m, NO_CANCEL));
    };
  }

  @Override
  protected ScaleTarget scaleTarget() {
    return new ScaleTarget(() -> svc.echo(7), null); // no asynchronous calls, no cancellation
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }

  /** The RMI server: a registry on a free loopback port holding the exported object. */
  public static final class Server implements AutoCloseable {
    private final Registry registry;
    private final Impl impl;
    private final int port;

    private Server(Registry registry, Impl impl, int port) {
      this.registry = registry;
      this.impl = impl;
      this.port = port;
    }

    /** Exports the object and binds it as "svc" in a new registry. */
    public static Server start() throws Exception {
      System.setProperty("java.rmi.server.hostname", "127.0.0.1");
      Impl impl = new Impl();
      RmiService stub = (RmiService) UnicastRemoteObject.exportObject(impl, 0);
      IOException last = null;
      for (int attempt = 0; attempt < 10; attempt++) {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
          port = probe.getLocalPort();
        }
        try {
          Registry registry = LocateRegistry.createRegistry(port);
          registry.rebind("svc", stub);
          return new Server(registry, impl, port);
        } catch (java.rmi.server.ExportException e) {
          last = e; // the port was taken meanwhile: try another
        }
      }
      throw last;
    }

    /** {@code rmi:127.0.0.1:port} of the registry. */
    public String address() {
      return "rmi:127.0.0.1:" + port;
    }

    @Override
    public void close() throws NoSuchObjectException {
      UnicastRemoteObject.unexportObject(impl, true);
      UnicastRemoteObject.unexportObject(registry, true);
    }
  }

  /** The exported object. */
  static final class Impl implements RmiService {
    @Override
    public int echo(int v) {
      return v;
    }

    @Override
    public Payload echoPayload(Payload p) {
      return p;
    }
  }
}
