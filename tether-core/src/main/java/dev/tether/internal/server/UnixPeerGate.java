package dev.tether.internal.server;

import dev.tether.UnixPeerPolicy;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.PeerCredentials;
import java.io.IOException;

/**
 * The check on accept of a Unix-domain connection, before the server reads a byte of it: asks the
 * kernel who connected ({@code SO_PEERCRED}) and compares with the server's
 * {@link UnixPeerPolicy}. Links of other transports pass unchecked.
 *
 * <p>Immutable and thread-safe (runs on the accepting threads).
 */
final class UnixPeerGate {
  /** What the check found: the peer's credentials (null for other transports), or a refusal. */
  record Verdict(PeerCredentials peer, String refusal) {}

  private static final Verdict NOT_UNIX = new Verdict(null, null);

  private final UnixPeerPolicy policy;
  private final String serverUser;

  /**
   * @param serverUser the user this server runs as, named as the JDK names a peer's user
   */
  UnixPeerGate(UnixPeerPolicy policy, String serverUser) {
    this.policy = policy;
    this.serverUser = serverUser;
  }

  /** Checks {@code link}'s peer; reads nothing from the link. */
  Verdict check(Link link) {
    PeerCredentials peer;
    try {
      peer = link.unixPeer();
    } catch (IOException | RuntimeException e) {
      return new Verdict(null, "the server could not learn who connected (SO_PEERCRED: " + e
          + ") and admits nobody it cannot identify");
    }
    if (peer == null) {
      return NOT_UNIX;
    }
    if (policy.admits(peer.user(), peer.group(), serverUser)) {
      return new Verdict(peer, null);
    }
    return new Verdict(peer, "user " + peer.user() + " (group " + peer.group()
        + ") may not connect to this server, which runs as " + serverUser + " and admits "
        + describe());
  }

  private String describe() {
    StringBuilder b = new StringBuilder();
    if (policy.admitsSameUser()) {
      b.append("its own user");
    }
    if (!policy.users().isEmpty()) {
      b.append(b.isEmpty() ? "" : ", ").append("users ").append(policy.users());
    }
    if (!policy.groups().isEmpty()) {
      b.append(b.isEmpty() ? "" : ", ").append("groups ").append(policy.groups());
    }
    return b + " (TetherServer.Builder.unixPeers)";
  }
}
