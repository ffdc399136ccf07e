package dev.tether.internal.wire;

import dev.tether.internal.codec.ByteWriter;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The arithmetic of the shared-secret handshake, the same on both sides. The exchange, after TCP
 * connects (the secret itself never crosses the wire):
 *
 * <ol>
 *   <li>client: HELLO (flag {@link FrameKind#FLAG_HELLO_SECRET}), AUTH(1: key id, client nonce)
 *   <li>server: HELLO (same flag), AUTH(2: server nonce) — or GOAWAY UNAUTHENTICATED for a key id
 *       it does not know
 *   <li>client: AUTH(3: {@link #clientProof})
 *   <li>server: AUTH(4: {@link #serverProof}) — or GOAWAY UNAUTHENTICATED when the client's
 *       proof is wrong; the client checks the server's proof before it sends anything else
 * </ol>
 *
 * <p>Each proof is HMAC-SHA256 under the secret over a role label, the key id, both fresh 32-byte
 * nonces and both HELLOs (version, frame limit, description, flags). Both sides pick a fresh nonce,
 * so a recorded handshake replayed against either side fails; the role labels differ, so a proof
 * reflected back to its sender fails. Proofs are compared in constant time.
 *
 * <p>Thread-safe; stateless.
 */
public final class SecretProof {
  /** Bytes of each side's nonce. */
  public static final int NONCE_BYTES = 32;
  /** Bytes of a proof (HMAC-SHA256). */
  public static final int PROOF_BYTES = 32;
  /** The largest nonce or proof an AUTH frame may carry. */
  public static final int MAX_VALUE_BYTES = 64;
  /** The longest key id, in characters. */
  public static final int MAX_KEY_ID_CHARS = 64;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String CLIENT_LABEL = "tether shared-secret v1: client proof";
  private static final String SERVER_LABEL = "tether shared-secret v1: server proof";

  /** A HELLO as both sides see it, for the transcript. */
  public record Hello(int version, int maxFrameBytes, String description, int flags) {}

  private static volatile java.util.function.Function<dev.tether.SharedSecret, byte[]> access;

  private SecretProof() {}

  /** Called once by {@link dev.tether.SharedSecret} as it loads: how to read a secret's bytes. */
  public static void grantAccess(java.util.function.Function<dev.tether.SharedSecret, byte[]> f) {
    if (access == null) {
      access = f;
    }
  }

  /** A copy of {@code secret}'s bytes (its class is loaded, so access was granted). */
  public static byte[] bytes(dev.tether.SharedSecret secret) {
    return access.apply(secret);
  }

  /** A fresh random nonce. */
  public static byte[] nonce() {
    byte[] n = new byte[NONCE_BYTES];
    RANDOM.nextBytes(n);
    return n;
  }

  /** What the client sends to prove it knows {@code secret}. */
  public static byte[] clientProof(byte[] secret, String keyId, byte[] clientNonce,
      byte[] serverNonce, Hello client, Hello server) {
    return mac(secret, CLIENT_LABEL, keyId, clientNonce, serverNonce, client, server);
  }

  /** What the server sends to prove it knows {@code secret}. */
  public static byte[] serverProof(byte[] secret, String keyId, byte[] clientNonce,
      byte[] serverNonce, Hello client, Hello server) {
    return mac(secret, SERVER_LABEL, keyId, clientNonce, serverNonce, client, server);
  }

  /** True when {@code received} equals {@code expected}; takes the same time wherever they differ. */
  public static boolean matches(byte[] expected, byte[] received) {
    return received != null && MessageDigest.isEqual(expected, received);
  }

  private static byte[] mac(byte[] secret, String label, String keyId, byte[] clientNonce,
      byte[] serverNonce, Hello client, Hello server) {
    ByteWriter w = new ByteWriter(256);
    w.writeString(label);
    w.writeString(keyId);
    w.writeVarInt(clientNonce.length);
    w.writeBytes(clientNonce, 0, clientNonce.length);
    w.writeVarInt(serverNonce.length);
    w.writeBytes(serverNonce, 0, serverNonce.length);
    for (Hello h : new Hello[] {client, server}) {
      w.writeVarInt(h.version());
      w.writeVarInt(h.maxFrameBytes());
      w.writeString(Frames.description(h.description()));
      w.writeVarInt(h.flags());
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(w.array(), 0, w.size());
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
