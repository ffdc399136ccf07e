package dev.tether.internal.transport;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a server listens: {@code unix:/path/to/socket}, {@code tcp:host:port} or, inside one JVM
 * for tests, {@code mem:name}.
 *
 * @param scheme "unix", "tcp" or "mem"
 * @param host the socket path, host name, or in-memory name
 * @param port TCP port, 0 otherwise
 */
public record Endpoint(String scheme, String host, int port) {

  /** A Unix-domain socket at {@code path}. */
  public static Endpoint unix(Path path) {
    return new Endpoint("unix", path.toString(), 0);
  }

  /** A TCP address. Port 0 asks the system for a free port when listening. */
  public static Endpoint tcp(String host, int port) {
    return new Endpoint("tcp", host, port);
  }

  /** An in-memory address, visible only inside this JVM. */
  public static Endpoint memory(String name) {
    return new Endpoint("mem", name, 0);
  }

  /** Parses {@code unix:/path}, {@code tcp:host:port} or {@code mem:name}. */
  public static Endpoint parse(String address) {
    Objects.requireNonNull(address, "address");
    int colon = address.indexOf(':');
    if (colon <= 0) {
      throw bad(address);
    }
    String scheme = address.substring(0, colon);
    String rest = address.substring(colon + 1);
    switch (scheme) {
      case "unix":
        if (rest.isEmpty()) {
          throw bad(address);
        }
        return new Endpoint("unix", rest, 0);
      case "mem":
        if (rest.isEmpty()) {
          throw bad(address);
        }
        return new Endpoint("mem", rest, 0);
      case "tcp": {
        int c = rest.lastIndexOf(':');
        if (c <= 0 || c == rest.length() - 1) {
          throw bad(address);
        }
        String host = rest.substring(0, c);
        if (host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1);
        }
        try {
          int port = Integer.parseInt(rest.substring(c + 1));
          if (port < 0 || port > 65535) {
            throw bad(address);
          }
          return new Endpoint("tcp", host, port);
        } catch (NumberFormatException e) {
          throw bad(address);
        }
      }
      default:
        throw bad(address);
    }
  }

  private static IllegalArgumentException bad(String address) {
    return new IllegalArgumentException("not a Tether address: '" + address
        + "' (expected unix:/path/to/socket, tcp:host:port or mem:name)");
  }

  @Override
  public String toString() {
    return switch (scheme) {
      case "tcp" -> "tcp:" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
      default -> scheme + ":" + host;
    };
  }
}
