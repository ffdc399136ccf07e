package dev.tether;

import java.util.Objects;

/**
 * A secret shared by a client and a server that authenticates TCP connections without
 * certificates: each side proves to the other that it knows the secret (a challenge and response
 * with fresh nonces and HMAC-SHA256), and the secret itself never crosses the network. The key id
 * names the secret on the wire, so a server can hold several at once while keys are rotated.
 * See docs/SECURITY.md.
 *
 * <p>Generate a secret with, for example, {@code openssl rand -base64 32}, and decode it with
 * {@link java.util.Base64}. The bytes are copied in and never shown by {@link #toString()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SharedSecret {
  /** The shortest secret accepted, in bytes (128 bits). */
  public static final int MIN_SECRET_BYTES = 16;
  /** The longest secret accepted, in bytes. */
  public static final int MAX_SECRET_BYTES = 1024;
  /** The longest key id, in characters. */
  public static final int MAX_KEY_ID_CHARS = 64;

  static {
    dev.tether.internal.wire.SecretProof.grantAccess(SharedSecret::secretBytes);
  }

  private final String keyId;
  private final byte[] secret;

  private SharedSecret(String keyId, byte[] secret) {
    this.keyId = keyId;
    this.secret = secret;
  }

  /**
   * A secret named {@code keyId}. The key id is not secret: it travels in clear so the server
   * knows which of its secrets to check.
   *
   * @param keyId 1 to {@value #MAX_KEY_ID_CHARS} printable ASCII characters
   * @param secret at least {@value #MIN_SECRET_BYTES} and at most {@value #MAX_SECRET_BYTES}
   *     random bytes; copied
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when the key id is empty, too long or not printable ASCII, or
   *     the secret is too short or too long
   */
  public static SharedSecret of(String keyId, byte[] secret) {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(secret, "secret");
    if (keyId.isEmpty() || keyId.length() > MAX_KEY_ID_CHARS
        || !keyId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("a shared secret's key id must be 1 to "
          + MAX_KEY_ID_CHARS + " printable ASCII characters without spaces: '" + keyId + "'");
    }
    if (secret.length < MIN_SECRET_BYTES || secret.length > MAX_SECRET_BYTES) {
      throw new IllegalArgumentException("the shared secret for key id " + keyId + " has "
          + secret.length + " bytes; use " + MIN_SECRET_BYTES + " to " + MAX_SECRET_BYTES
          + " random bytes (for example: openssl rand -base64 32)");
    }
    return new SharedSecret(keyId, secret.clone());
  }

  /** The key id, which names this secret on the wire. */
  public String keyId() {
    return keyId;
  }

  /** A copy of the secret bytes (for Tether's own use; handle with care). */
  byte[] secretBytes() {
    return secret.clone();
  }

  /** Equal when key id and secret are equal; the comparison of secrets takes constant time. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SharedSecret s && keyId.equals(s.keyId)
        && java.security.MessageDigest.isEqual(secret, s.secret);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode();
  }

  /** The key id and the secret's length; never the secret. */
  @Override
  public String toString() {
    return "SharedSecret[keyId=" + keyId + ", " + secret.length + " bytes]";
  }
}
