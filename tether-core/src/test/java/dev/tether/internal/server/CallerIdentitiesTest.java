package dev.tether.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallerIdentity;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.PeerCredentials;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CallerIdentitiesTest {
  /** A link that says nothing about itself, like a wrapper that forgets to delegate. */
  private static class SilentLink implements Link {
    @Override
    public int tryRead(ByteBuffer dst) {
      return -1;
    }

    @Override
    public boolean awaitReadable(long timeoutNanos) {
      return true;
    }

    @Override
    public void wakeupReader() {}

    @Override
    public void write(ByteBuffer src) {}

    @Override
    public String peer() {
      return "silent";
    }

    @Override
    public void close() {}
  }

  @Test
  void aLinkThatDoesNotSayWhatItIsCountsAsAnUnauthenticatedNetworkPeer() {
    assertThat(CallerIdentities.of(new SilentLink(), null, null))
        .isEqualTo(CallerIdentity.unauthenticatedTcp());
  }

  @Test
  void theStrongestEvidenceWins() {
    Link tls = new SilentLink() {
      @Override
      public String tlsPeerPrincipal() {
        return "CN=client";
      }
    };
    assertThat(CallerIdentities.of(tls, null, "k1")).isEqualTo(CallerIdentity.sharedSecret("k1"));
    assertThat(CallerIdentities.of(tls, null, null))
        .isEqualTo(CallerIdentity.tlsCertificate("CN=client"));
    assertThat(CallerIdentities.of(new SilentLink(), new PeerCredentials("alice", "staff"), null))
        .isEqualTo(CallerIdentity.unixPeer("alice", "staff"));
    Link local = new SilentLink() {
      @Override
      public boolean isNetwork() {
        return false;
      }
    };
    assertThat(CallerIdentities.of(local, null, null)).isEqualTo(CallerIdentity.inMemory());
  }
}
