package dev.tether.internal.client;

import dev.tether.ErrorCode;
import dev.tether.SharedSecret;
import dev.tether.TetherOptions;
import dev.tether.internal.cancel.Timers;
import dev.tether.internal.transport.Link;
import dev.tether.internal.wire.AuthenticationException;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.FrameWriter;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.ProtocolException;
import dev.tether.internal.wire.SecretProof;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client's side of the HELLO exchange, bounded by the handshake timeout (the link is closed
 * when it runs out). Refuses a peer that is not a Tether server or speaks no common version. Over
 * TCP with a {@link SharedSecret}, runs the challenge and response of {@link SecretProof} and
 * refuses a server that cannot prove it knows the secret. A refusal by the server
 * (GOAWAY UNAUTHENTICATED) or of the server surfaces as {@link AuthenticationException}.
 */
final class ClientHandshake {
  /** What the server said about itself. */
  record Result(int maxFrameBytes, String peer) {}

  /** Who this side is, sent in HELLO for the server's messages. */
  private static final String DESCRIPTION = "client pid " + ProcessHandle.current().pid();

  private ClientHandshake() {}

  static Result perform(Link link, FrameReader reader, FrameWriter writer,
      TetherOptions options) throws IOException, ProtocolException {
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> timeout = Timers.schedule(() -> {
      timedOut.set(true);
      link.close();
    }, options.connectTimeout().toNanos());
    try {
      return exchange(link, reader, writer, options);
    } catch (IOException e) {
      if (timedOut.get()) {
        throw new IOException("no handshake from " + link.peer() + " within "
            + options.connectTimeout(), e);
      }
      throw e;
    } finally {
      timeout.cancel(false);
    }
  }

  private static Result exchange(Link link, FrameReader reader, FrameWriter writer,
      TetherOptions options) throws IOException, ProtocolException {
    SharedSecret secret = link.isNetwork() ? options.sharedSecret() : null;
    int flags = secret == null ? 0 : FrameKind.FLAG_HELLO_SECRET;
    byte[] clientNonce = secret == null ? null : SecretProof.nonce();
    ServerFrames frames = new ServerFrames(link, secret);
    try {
      writer.write(w -> Frames.hello(w, FrameKind.VERSION, options.maxFrameBytes(), DESCRIPTION,
          flags));
      if (secret != null) {
        writer.write(w -> Frames.auth(w, FrameKind.AUTH_CLIENT_NONCE, secret.keyId(),
            clientNonce));
      }
    } catch (IOException e) {
      // The server may have refused us before we spoke (a Unix user it does not admit) and
      // closed: its GOAWAY still waits to be read, and says why (goAway throws it).
      try {
        reader.next(frames);
      } catch (IOException notThere) {
        e.addSuppressed(notThere);
      }
      throw e;
    }
    next(reader, frames);
    if (frames.hello == null) {
      throw new ProtocolException("expected HELLO from the server");
    }
    Result result = new Result(frames.hello.maxFrameBytes(),
        frames.hello.description() + " at " + link.peer());
    if (secret == null) {
      return result;
    }
    String keyId = secret.keyId();
    if ((frames.hello.flags() & FrameKind.FLAG_HELLO_SECRET) == 0) {
      throw new AuthenticationException("the server at " + link.peer() + " could not prove it "
          + "knows the shared secret for key id " + keyId + " (it does not use shared secrets)");
    }
    byte[] serverNonce = frames.expect(reader, FrameKind.AUTH_SERVER_NONCE);
    byte[] key = SecretProof.bytes(secret);
    SecretProof.Hello mine = new SecretProof.Hello(FrameKind.VERSION, options.maxFrameBytes(),
        DESCRIPTION, flags);
    byte[] proof = SecretProof.clientProof(key, keyId, clientNonce, serverNonce, mine,
        frames.hello);
    writer.write(w -> Frames.auth(w, FrameKind.AUTH_CLIENT_PROOF, null, proof));
    byte[] serverProof = frames.expect(reader, FrameKind.AUTH_SERVER_PROOF);
    if (!SecretProof.matches(SecretProof.serverProof(key, keyId, clientNonce, serverNonce, mine,
        frames.hello), serverProof)) {
      throw new AuthenticationException("the server at " + link.peer() + " could not prove it "
          + "knows the shared secret for key id " + keyId);
    }
    return result;
  }

  private static void next(FrameReader reader, FrameHandler h)
      throws IOException, ProtocolException {
    if (!reader.next(h)) {
      throw new IOException("server closed the connection during the handshake");
    }
  }

  /** Receives the server's handshake frames. */
  private static final class ServerFrames implements FrameHandler {
    private final Link link;
    private final SharedSecret secret;
    SecretProof.Hello hello;
    private int step;
    private byte[] value;

    ServerFrames(Link link, SharedSecret secret) {
      this.link = link;
      this.secret = secret;
    }

    /** Reads the next frame, which must be AUTH step {@code wanted}; returns its value. */
    byte[] expect(FrameReader reader, int wanted) throws IOException, ProtocolException {
      value = null;
      next(reader, this);
      if (value == null || step != wanted) {
        throw new ProtocolException("expected AUTH step " + wanted + " from the server");
      }
      return value;
    }

    @Override
    public void hello(int version, int maxFrameBytes, String who, int flags)
        throws ProtocolException {
      if (hello != null) {
        throw new ProtocolException("second HELLO");
      }
      if (version < FrameKind.MIN_VERSION || version > FrameKind.VERSION) {
        throw new ProtocolException("server speaks protocol version " + version
            + "; this client speaks " + FrameKind.MIN_VERSION + ".." + FrameKind.VERSION);
      }
      hello = new SecretProof.Hello(version, maxFrameBytes, who, flags);
    }

    @Override
    public void auth(int step, String keyId, byte[] value) throws ProtocolException {
      if (secret == null || hello == null) {
        throw new ProtocolException("unexpected AUTH frame");
      }
      this.step = step;
      this.value = value;
    }

    @Override
    public void goAway(ErrorCode code, String message) throws ProtocolException {
      if (code == ErrorCode.UNAUTHENTICATED) {
        throw new AuthenticationException(secret == null
            ? "the server at " + link.peer() + " refused the connection: " + message
            : "the server at " + link.peer() + " refused the shared secret for key id "
                + secret.keyId() + ": " + message);
      }
      throw new ProtocolException("server refused the connection: " + code + ": " + message);
    }
  }
}
