package dev.tether;

import dev.tether.internal.cancel.CallContext;
import dev.tether.internal.cancel.CancelNode;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling: what the server established about the client of the current connection, so a
 * served method can authorise. Read it inside a served call with {@link #current()}:
 *
 * <pre>{@code
 * CallerIdentity who = CallerIdentity.current().orElseThrow();
 * if (who.kind() != CallerIdentity.Kind.UNIX_PEER || !who.user().equals("deploy")) { ... }
 * }</pre>
 *
 * <p>One identity per connection, established once by the handshake; every call on the
 * connection sees the same object. Immutable and thread-safe.
 */
public final class CallerIdentity {
  /** How the caller was identified. */
  public enum Kind {
    /**
     * A local process on a Unix-domain socket, identified by the kernel ({@code SO_PEERCRED}):
     * {@link #user()} and {@link #group()} are set; the pid is not available through the JDK.
     */
    UNIX_PEER,
    /** A TCP peer that proved it knows a shared secret: {@link #keyId()} names the secret. */
    SHARED_SECRET,
    /** A TLS peer with a client certificate: {@link #principal()} is its subject. */
    TLS_CERTIFICATE,
    /** A caller in the same process ({@code mem:} addresses). */
    IN_MEMORY,
    /**
     * A TCP peer nobody authenticated (the server runs explicitly insecure plain TCP, or TLS
     * without client certificates): anyone who could reach the port. Not authenticated.
     */
    UNAUTHENTICATED_TCP
  }

  private static final CallerIdentity IN_MEMORY = new CallerIdentity(Kind.IN_MEMORY, null, null,
      null, null);
  private static final CallerIdentity UNAUTHENTICATED = new CallerIdentity(
      Kind.UNAUTHENTICATED_TCP, null, null, null, null);

  private final Kind kind;
  private final String user;
  private final String group;
  private final String keyId;
  private final String principal;

  private CallerIdentity(Kind kind, String user, String group, String keyId, String principal) {
    this.kind = kind;
    this.user = user;
    this.group = group;
    this.keyId = keyId;
    this.principal = principal;
  }

  /**
   * The identity of the caller of the served call the current thread runs (also inside cancel
   * scopes opened by that call); empty outside a served call, for example on a thread the method
   * started itself or in a future's callback.
   */
  public static Optional<CallerIdentity> current() {
    CancelNode node = CallContext.current();
    return node != null && node.attachment() instanceof CallerIdentity id ? Optional.of(id)
        : Optional.empty();
  }

  /** A local peer identified by the kernel; names as {@link UnixPeerPolicy} describes them. */
  public static CallerIdentity unixPeer(String user, String group) {
    return new CallerIdentity(Kind.UNIX_PEER, Objects.requireNonNull(user, "user"),
        Objects.requireNonNull(group, "group"), null, null);
  }

  /** A peer that proved it knows the shared secret named {@code keyId}. */
  public static CallerIdentity sharedSecret(String keyId) {
    return new CallerIdentity(Kind.SHARED_SECRET, null, null,
        Objects.requireNonNull(keyId, "keyId"), null);
  }

  /** A TLS peer whose certificate names {@code principal}. */
  public static CallerIdentity tlsCertificate(String principal) {
    return new CallerIdentity(Kind.TLS_CERTIFICATE, null, null, null,
        Objects.requireNonNull(principal, "principal"));
  }

  /** A caller in the same process. */
  public static CallerIdentity inMemory() {
    return IN_MEMORY;
  }

  /** A TCP peer nobody authenticated. */
  public static CallerIdentity unauthenticatedTcp() {
    return UNAUTHENTICATED;
  }

  /** How the caller was identified. */
  public Kind kind() {
    return kind;
  }

  /**
   * True unless {@link Kind#UNAUTHENTICATED_TCP}: the server knows who the caller is (a local
   * user, the holder of a secret or a certificate, or its own process).
   */
  public boolean isAuthenticated() {
    return kind != Kind.UNAUTHENTICATED_TCP;
  }

  /** The peer's user name (or decimal uid) for {@link Kind#UNIX_PEER}, else null. */
  public String user() {
    return user;
  }

  /** The peer's effective group name (or decimal gid) for {@link Kind#UNIX_PEER}, else null. */
  public String group() {
    return group;
  }

  /** The key id of the secret the peer proved it knows for {@link Kind#SHARED_SECRET}, else null. */
  public String keyId() {
    return keyId;
  }

  /** The certificate's principal for {@link Kind#TLS_CERTIFICATE}, else null. */
  public String principal() {
    return principal;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallerIdentity c && kind == c.kind && Objects.equals(user, c.user)
        && Objects.equals(group, c.group) && Objects.equals(keyId, c.keyId)
        && Objects.equals(principal, c.principal);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, user, group, keyId, principal);
  }

  /** For example {@code CallerIdentity[UNIX_PEER user=alice group=staff]}. */
  @Override
  public String toString() {
    return "CallerIdentity[" + kind + switch (kind) {
      case UNIX_PEER -> " user=" + user + " group=" + group;
      case SHARED_SECRET -> " keyId=" + keyId;
      case TLS_CERTIFICATE -> " principal=" + principal;
      default -> "";
    } + "]";
  }
}
