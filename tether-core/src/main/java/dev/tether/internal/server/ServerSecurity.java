package dev.tether.internal.server;

import dev.tether.UnixPeerPolicy;
import java.util.Map;

/**
 * How a server admits peers.
 *
 * @param unixPeers who may connect on Unix-domain sockets (checked on accept)
 * @param secrets shared secrets by key id; when not empty, every TCP peer must prove it knows one
 * @param insecurePlaintextTcp the user asked for TCP without TLS or a secret
 * @param adminObject whether {@code tether.admin} is exported (to authenticated peers only)
 */
public record ServerSecurity(UnixPeerPolicy unixPeers, Map<String, byte[]> secrets,
    boolean insecurePlaintextTcp, boolean adminObject) {
  /** Same user on Unix sockets, no secrets, no plain TCP, admin object on. */
  public static ServerSecurity defaults() {
    return new ServerSecurity(UnixPeerPolicy.sameUser(), Map.of(), false, true);
  }
}
