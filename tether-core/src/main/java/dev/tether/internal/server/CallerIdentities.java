package dev.tether.internal.server;

import dev.tether.CallerIdentity;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.PeerCredentials;

/**
 * The one place that decides a connection's {@link CallerIdentity} from what the transport and
 * the handshake established. Stateless.
 */
final class CallerIdentities {
  private CallerIdentities() {}

  /**
   * @param unixPeer the kernel's credentials of a Unix-domain peer, or null
   * @param secretKeyId the key id of the secret the peer proved it knows, or null
   */
  static CallerIdentity of(Link link, PeerCredentials unixPeer, String secretKeyId) {
    if (secretKeyId != null) {
      return CallerIdentity.sharedSecret(secretKeyId);
    }
    String tls = link.tlsPeerPrincipal();
    if (tls != null) {
      return CallerIdentity.tlsCertificate(tls);
    }
    if (unixPeer != null) {
      return CallerIdentity.unixPeer(unixPeer.user(), unixPeer.group());
    }
    return link.isNetwork() ? CallerIdentity.unauthenticatedTcp() : CallerIdentity.inMemory();
  }
}
