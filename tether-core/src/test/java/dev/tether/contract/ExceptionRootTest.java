package dev.tether.contract;

import dev.tether.fixtures.PlainTcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.ConnectionClosedException;
import dev.tether.ErrorCode;
import dev.tether.RemoteException;
import dev.tether.Tether;
import dev.tether.TetherException;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.BlobService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's promise: what the world outside the program makes fail (peers, addresses, limits)
 * is a {@link TetherException} with an {@link ErrorCode} and a message in the user's terms, of a
 * type in the API package; never an internal or a JDK exception.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExceptionRootTest {
  static final int SERVER_LIMIT = 64 * 1024;

  TetherServer server;
  Tether client;
  BlobService blobs;

  @BeforeEach
  void start() {
    server = TetherServer.builder()
        .export("blobs", BlobService.class, new BlobService.Impl())
        .listen("tcp:127.0.0.1:0").insecurePlaintextTcp()
        .maxFrameBytes(SERVER_LIMIT)
        .start();
    client = Tether.connect(server.address(),
        TetherOptions.defaults().withInsecurePlaintextTcp().withMaxFrameBytes(SERVER_LIMIT));
    blobs = client.get(BlobService.class, "blobs");
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static void isPublicTetherException(Throwable t) {
    assertThat(t).isInstanceOf(TetherException.class);
    assertThat(t.getClass().getPackageName()).isEqualTo("dev.tether");
    assertThat(t.getMessage()).isNotBlank();
  }

  @Test
  void aCallLargerThanTheServerAcceptsIsResourceExhaustedAndSendsNothing() {
    Throwable t = catchThrowableOfType(() -> blobs.echo(new byte[2 * SERVER_LIMIT]),
        Throwable.class);
    isPublicTetherException(t);
    assertThat(((TetherException) t).code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
    assertThat(t.getMessage()).contains("BlobService.echo").contains(Integer.toString(SERVER_LIMIT))
        .contains("maxFrameBytes").doesNotContain("stream");
    assertThat(blobs.echo(new byte[10])).hasSize(10); // nothing was sent; the connection is fine
  }

  @Test
  void aResultLargerThanTheClientAcceptsIsResourceExhausted() {
    Throwable t = catchThrowableOfType(() -> blobs.make(2 * SERVER_LIMIT), Throwable.class);
    isPublicTetherException(t);
    assertThat(((TetherException) t).code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
    assertThat(t.getMessage()).contains("BlobService.make").contains("maxFrameBytes")
        .doesNotContain("stream");
    assertThat(blobs.make(10)).hasSize(10);
  }

  @Test
  void aResultTheServerCannotEncodeStillGetsAnAnswer() {
    Throwable t = catchThrowableOfType(() -> blobs.polluted(), Throwable.class);
    isPublicTetherException(t);
    assertThat(t).isInstanceOfSatisfying(RemoteException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_EXCEPTION);
      assertThat(e.remoteMessage()).contains("the result of BlobService.polluted cannot be sent")
          .contains("ClassCastException");
    });
    assertThat(blobs.make(3)).hasSize(3);
  }

  @Test
  void anArgumentNestedTooDeeplyIsInvalidArgument() {
    Throwable t = catchThrowableOfType(() -> blobs.length(BlobService.Link.chain(2000)),
        Throwable.class);
    isPublicTetherException(t);
    assertThat(((TetherException) t).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(t.getMessage()).contains("BlobService.length");
    assertThat(blobs.length(BlobService.Link.chain(3))).isEqualTo(3);
  }

  @Test
  void listeningOnAHostThatDoesNotResolveIsUnavailable() {
    Throwable t = catchThrowableOfType(
        () -> TetherServer.builder().listen("tcp:256.1.1.1:1").insecurePlaintextTcp().start(),
        Throwable.class);
    isPublicTetherException(t);
    assertThat(((TetherException) t).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(t.getMessage()).contains("tcp:256.1.1.1:1").contains("256.1.1.1");
  }

  @Test
  void listeningOnABusyPortIsUnavailable() throws IOException {
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress("127.0.0.1", 0));
      String address = "tcp:127.0.0.1:" + busy.getLocalPort();
      Throwable t = catchThrowableOfType(() -> TetherServer.builder().listen(address)
          .insecurePlaintextTcp().start(), Throwable.class);
      isPublicTetherException(t);
      assertThat(((TetherException) t).code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(t.getMessage()).contains(address);
    }
  }

  @Test
  void listeningOnAMemoryNameInUseIsUnavailable() {
    try (TetherServer first = TetherServer.builder().listen("mem:root-test-taken").start()) {
      Throwable t = catchThrowableOfType(
          () -> TetherServer.builder().listen("mem:root-test-taken").start(), Throwable.class);
      isPublicTetherException(t);
      assertThat(((TetherException) t).code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(first.stats().connections()).isZero();
    }
  }

  @Test
  void connectingToAHostThatDoesNotResolveIsConnectionClosed() {
    assertThatThrownBy(() -> Tether.connect("tcp:256.1.1.1:1",
        PlainTcp.OPTIONS))
        .isInstanceOf(ConnectionClosedException.class)
        .hasMessageContaining("256.1.1.1");
  }

  @Test
  void connectingWhereNothingListensIsConnectionClosed() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> Tether.connect("tcp:127.0.0.1:" + port,
        PlainTcp.OPTIONS))
        .isInstanceOf(ConnectionClosedException.class)
        .hasMessageContaining("127.0.0.1:" + port);
  }

  @Test
  void getAfterCloseThrowsConnectionClosedEvenForACachedProxy() {
    client.close();
    assertThatThrownBy(() -> client.get(BlobService.class, "blobs"))
        .isInstanceOf(ConnectionClosedException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> client.get(Runnable.class, "other"))
        .isInstanceOf(ConnectionClosedException.class);
  }

  @Test
  void programmingErrorsAtSetUpAreStandardJavaExceptions() {
    assertThatThrownBy(() -> Tether.connect("nonsense"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nonsense");
    assertThatThrownBy(() -> TetherServer.builder().listen("tcp:host"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.get(Object.class, "blobs"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an interface");
    assertThatThrownBy(() -> client.get(BlobService.class, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> TetherOptions.defaults().withMaxFrameBytes(1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
