package dev.tether.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.CallerIdentity;
import dev.tether.ErrorCode;
import dev.tether.SharedSecret;
import dev.tether.Tether;
import dev.tether.TetherAdmin;
import dev.tether.TetherException;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.WhoService;
import dev.tether.fixtures.WhoServiceImpl;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Plain TCP only when both sides ask for it by name; the admin object only for authenticated
 * peers, and not at all when turned off; the caller's identity for each kind of connection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlaintextTcpAndAdminTest {
  private final WhoServiceImpl impl = new WhoServiceImpl();

  private TetherServer.Builder server() {
    return TetherServer.builder().export("who", WhoService.class, impl);
  }

  @Test
  void aServerRefusesToListenOnPlainTcpUnlessAskedExplicitly() {
    TetherException e = catchThrowableOfType(TetherException.class,
        () -> server().listen("tcp:127.0.0.1:0").start());
    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(e.getMessage()).contains("tcp:127.0.0.1:0").contains("TLS")
        .contains("shared secret").contains("insecurePlaintextTcp");
  }

  @Test
  void aClientRefusesPlainTcpUnlessAskedExplicitlyAndSendsNothing() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      TetherException e = catchThrowableOfType(TetherException.class,
          () -> Tether.connect("tcp:127.0.0.1:" + listener.getLocalPort()));
      assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
      assertThat(e.getMessage()).contains("withSharedSecret").contains("withInsecurePlaintextTcp");
      listener.setSoTimeout(200);
      assertThat(catchThrowableOfType(SocketTimeoutException.class, listener::accept))
          .as("the client did not even connect").isNotNull();
    }
  }

  @Test
  void plainTcpAskedForOnBothSidesWorksAndItsCallersAreUnauthenticated() {
    try (TetherServer s = server().listen("tcp:127.0.0.1:0").insecurePlaintextTcp().start();
        Tether t = Tether.connect(s.address(), TetherOptions.defaults()
            .withInsecurePlaintextTcp())) {
      assertThat(t.get(WhoService.class, "who").who())
          .isEqualTo("CallerIdentity[UNAUTHENTICATED_TCP]");
    }
  }

  @Test
  void theAdminObjectIsRefusedOverInsecurePlainTcp() {
    try (TetherServer s = server().listen("tcp:127.0.0.1:0").insecurePlaintextTcp().start();
        Tether t = Tether.connect(s.address(), TetherOptions.defaults()
            .withInsecurePlaintextTcp())) {
      TetherException e = catchThrowableOfType(TetherException.class,
          () -> t.get(TetherAdmin.class, TetherAdmin.NAME).stats());
      assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
      assertThat(e.getMessage()).contains("authenticated");
      assertThat(s.stats().callsStarted()).isZero();
    }
  }

  @Test
  void theAdminObjectIsServedOverASharedSecretAndAUnixSocket() {
    SharedSecret k = SharedSecret.of("ops", "0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    try (TetherServer s = server().listen("tcp:127.0.0.1:0").sharedSecrets(k).start();
        Tether t = Tether.connect(s.address(), TetherOptions.defaults().withSharedSecret(k))) {
      assertThat(t.get(TetherAdmin.class, TetherAdmin.NAME).stats().connections()).isEqualTo(1);
    }
    try (TetherServer s = server().start(); Tether t = Tether.connect(s.address())) {
      assertThat(t.get(TetherAdmin.class, TetherAdmin.NAME).stats().connections()).isEqualTo(1);
    }
  }

  @Test
  void theAdminObjectCanBeTurnedOff() {
    try (TetherServer s = server().adminObject(false).start();
        Tether t = Tether.connect(s.address())) {
      TetherException e = catchThrowableOfType(TetherException.class,
          () -> t.get(TetherAdmin.class, TetherAdmin.NAME).stats());
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }
  }

  @Test
  void inMemoryCallersAreInMemoryAndThereIsNoIdentityOutsideAServedCall() {
    try (TetherServer s = server().listen("mem:identity-test").start();
        Tether t = Tether.connect(s.address())) {
      assertThat(t.get(WhoService.class, "who").who()).isEqualTo("CallerIdentity[IN_MEMORY]");
    }
    assertThat(CallerIdentity.current()).isEmpty();
  }
}
