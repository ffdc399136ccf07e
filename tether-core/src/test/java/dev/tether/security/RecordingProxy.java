package dev.tether.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP proxy for one connection that records every byte the client sends to the server: what an
 * eavesdropper on the network would capture.
 */
final class RecordingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int serverPort;
  private final ByteArrayOutputStream clientBytes = new ByteArrayOutputStream();
  private volatile Socket client;
  private volatile Socket server;

  RecordingProxy(int serverPort) throws IOException {
    this.serverPort = serverPort;
    this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("recording-proxy").start(this::serve);
  }

  /** The proxy's address, for the client. */
  String address() {
    return "tcp:127.0.0.1:" + listener.getLocalPort();
  }

  /** What the client sent so far. */
  byte[] clientBytes() {
    synchronized (clientBytes) {
      return clientBytes.toByteArray();
    }
  }

  private void serve() {
    try {
      client = listener.accept();
      server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
      Thread.ofPlatform().daemon().name("proxy-down").start(() -> pump(server, client, null));
      pump(client, server, clientBytes);
    } catch (IOException e) {
      // closed
    }
  }

  private static void pump(Socket from, Socket to, ByteArrayOutputStream record) {
    byte[] buf = new byte[8192];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) > 0) {
        if (record != null) {
          synchronized (record) {
            record.write(buf, 0, n);
          }
        }
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // one side closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
