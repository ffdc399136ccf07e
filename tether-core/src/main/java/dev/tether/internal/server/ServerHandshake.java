package dev.tether.internal.server;

import dev.tether.CallerIdentity;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.PeerCredentials;
import dev.tether.internal.wire.AuthenticationException;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.ProtocolException;
import dev.tether.internal.wire.SecretProof;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The server's side of the handshake on one connection: answers HELLO, and on TCP with shared
 * secrets configured runs the challenge and response of {@link SecretProof} before the connection
 * may resolve or call anything. Decides the connection's {@link CallerIdentity}. Refusals throw
 * {@link AuthenticationException} (the connection answers GOAWAY UNAUTHENTICATED and closes) and
 * are counted and logged in {@link AuthFailures}.
 *
 * <p>Not thread-safe: the connection's reader thread only.
 */
final class ServerHandshake {
  private enum State { HELLO, CLIENT_NONCE, CLIENT_PROOF, DONE }

  private final Link link;
  private final PeerCredentials unixPeer;
  /** Null when this connection needs no secret. */
  private final Map<String, byte[]> secrets;
  private final int maxFrameBytes;
  private final String description;
  private final AuthFailures failures;
  private final Consumer<Consumer<ByteWriter>> send;
  private State state = State.HELLO;
  private SecretProof.Hello clientHello;
  private SecretProof.Hello serverHello;
  private String keyId;
  private byte[] clientNonce;
  private byte[] serverNonce;
  private CallerIdentity identity;

  ServerHandshake(Link link, PeerCredentials unixPeer, ServerOptions options,
      AuthFailures failures, Consumer<Consumer<ByteWriter>> send) {
    this.link = link;
    this.unixPeer = unixPeer;
    Map<String, byte[]> all = options.security().secrets();
    this.secrets = unixPeer == null && link.isNetwork() && !all.isEmpty() ? all : null;
    this.maxFrameBytes = options.maxFrameBytes();
    this.description = options.description();
    this.failures = failures;
    this.send = send;
  }

  /** The caller's identity, once {@link #hello} or {@link #auth} returned true. */
  CallerIdentity identity() {
    return identity;
  }

  /** True while HELLO has not arrived. */
  boolean awaitsHello() {
    return state == State.HELLO;
  }

  /**
   * The client's HELLO (version already checked). Returns true when the handshake is complete.
   */
  boolean hello(int version, int clientMaxFrameBytes, String who, int flags)
      throws ProtocolException {
    int reply = Math.min(version, FrameKind.VERSION);
    boolean offered = (flags & FrameKind.FLAG_HELLO_SECRET) != 0;
    if (secrets == null) {
      if (offered) {
        throw refuse("it offered a shared secret, which this server does not use on "
            + link.peer(), "this server does not use shared secrets on this connection");
      }
      send.accept(w -> Frames.hello(w, reply, maxFrameBytes, description));
      identity = CallerIdentities.of(link, unixPeer, null);
      state = State.DONE;
      return true;
    }
    if (!offered) {
      throw refuse("it did not offer a shared secret", "this server requires a shared secret "
          + "(TetherOptions.withSharedSecret) or refuses the connection");
    }
    clientHello = new SecretProof.Hello(version, clientMaxFrameBytes, who, flags);
    serverHello = new SecretProof.Hello(reply, maxFrameBytes, description,
        FrameKind.FLAG_HELLO_SECRET);
    state = State.CLIENT_NONCE;
    return false;
  }

  /** An AUTH frame. Returns true when the handshake is complete. */
  boolean auth(int step, String id, byte[] value) throws ProtocolException {
    if (state == State.CLIENT_NONCE && step == FrameKind.AUTH_CLIENT_NONCE) {
      byte[] secret = secrets.get(id);
      if (secret == null) {
        throw refuse("it named key id " + id + ", which this server does not know",
            "the server knows no shared secret with key id " + id);
      }
      if (value.length != SecretProof.NONCE_BYTES) {
        throw new ProtocolException("client nonce of " + value.length + " bytes");
      }
      keyId = id;
      clientNonce = value;
      serverNonce = SecretProof.nonce();
      send.accept(w -> Frames.hello(w, serverHello.version(), maxFrameBytes, description,
          FrameKind.FLAG_HELLO_SECRET));
      send.accept(w -> Frames.auth(w, FrameKind.AUTH_SERVER_NONCE, null, serverNonce));
      state = State.CLIENT_PROOF;
      return false;
    }
    if (state == State.CLIENT_PROOF && step == FrameKind.AUTH_CLIENT_PROOF) {
      byte[] secret = secrets.get(keyId);
      byte[] expected = SecretProof.clientProof(secret, keyId, clientNonce, serverNonce,
          clientHello, serverHello);
      if (!SecretProof.matches(expected, value)) {
        throw refuse("its proof for key id " + keyId + " is wrong (it does not know that secret,"
            + " or replayed an old handshake)", "the client's proof for key id " + keyId
            + " is wrong: its secret differs from the server's");
      }
      byte[] proof = SecretProof.serverProof(secret, keyId, clientNonce, serverNonce,
          clientHello, serverHello);
      send.accept(w -> Frames.auth(w, FrameKind.AUTH_SERVER_PROOF, null, proof));
      identity = CallerIdentities.of(link, unixPeer, keyId);
      state = State.DONE;
      return true;
    }
    throw new ProtocolException("unexpected AUTH step " + step + " in the handshake");
  }

  /** Counts and logs a refusal; returns what to throw (its message goes to the client). */
  private AuthenticationException refuse(String why, String toClient) {
    failures.refused("peer " + link.peer() + ": " + why);
    return new AuthenticationException(toClient);
  }
}
