package dev.tether.bench;

import java.util.List;

/** The server side of {@link AttackService}: cheap, so only the attacks cost anything. */
public final class AttackServiceImpl implements AttackService {
  private volatile java.util.function.IntSupplier connections = () -> -1;

  /** Created by {@link ServerMain}. */
  public AttackServiceImpl() {}

  /** Where {@link #connections()} reads from: the server, once started. */
  void countConnectionsOf(dev.tether.TetherServer server) {
    connections = () -> server.stats().connections();
  }

  @Override
  public int connections() {
    return connections.getAsInt();
  }

  @Override
  public int echo(int v) {
    return v;
  }

  @Override
  public int count(List<List<String>> lists) {
    int n = 0;
    for (List<String> l : lists) {
      n += l == null ? 0 : l.size();
    }
    return n;
  }

  @Override
  public byte[] blob(int size) {
    return new byte[Math.max(0, Math.min(size, 1 << 20))];
  }
}
