package dev.tether;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which local users a server admits on its Unix-domain sockets. On accept, before it reads a
 * byte, the server asks the kernel who connected ({@code SO_PEERCRED} through
 * {@code jdk.net.ExtendedSocketOptions}): Linux records the effective user and group of the
 * process that called {@code connect()}. A peer is admitted when its user is the server's own
 * user (with {@link #sameUser()}), or one of the listed users, or its group is one of the listed
 * groups; anyone else gets a GOAWAY with {@link ErrorCode#UNAUTHENTICATED} and is closed.
 *
 * <p><b>What is compared.</b> Users and groups are compared by name, exactly as the JDK names
 * them ({@link java.nio.file.attribute.UserPrincipal#getName()}): the name the system's user
 * database has for the uid or gid, or, when it has none, the id in decimal ({@code "1001"}).
 * Only the peer's primary (effective) group counts; supplementary groups are not reported by the
 * kernel. The server's own user is the owner of files it creates, named the same way. The pid of
 * the peer is not available through the JDK.
 *
 * <p><b>Reaching the socket.</b> With {@link #sameUser()} the socket file is {@code rw-------} in
 * a directory only the server's user may enter. A policy that lists users or groups makes the
 * socket file connectable by everyone ({@code rw-rw-rw-}) and lets others traverse (not list or
 * change) its directory, which the server creates {@code rwx--x--x} when missing: the kernel's
 * credentials, checked here, are what admit or refuse them. The directory must still belong to
 * the server's user.
 *
 * <p>The default of every server is {@link #sameUser()}. Immutable and thread-safe.
 */
public final class UnixPeerPolicy {
  private static final UnixPeerPolicy SAME_USER = new UnixPeerPolicy(true, Set.of(), Set.of());

  private final boolean sameUser;
  private final Set<String> users;
  private final Set<String> groups;

  private UnixPeerPolicy(boolean sameUser, Set<String> users, Set<String> groups) {
    this.sameUser = sameUser;
    this.users = users;
    this.groups = groups;
  }

  /** Admits only the user the server runs as (the default). */
  public static UnixPeerPolicy sameUser() {
    return SAME_USER;
  }

  /**
   * Admits only these users, by name (or decimal uid where the system has no name); not the
   * server's own user unless listed or added with {@link #orSameUser()}.
   *
   * @throws IllegalArgumentException when no user is given or one is empty
   */
  public static UnixPeerPolicy users(String... users) {
    return new UnixPeerPolicy(false, names(users, "user"), Set.of());
  }

  /**
   * Admits only peers whose effective group is one of these, by name (or decimal gid).
   *
   * @throws IllegalArgumentException when no group is given or one is empty
   */
  public static UnixPeerPolicy groups(String... groups) {
    return new UnixPeerPolicy(false, Set.of(), names(groups, "group"));
  }

  /** This policy, also admitting the server's own user. */
  public UnixPeerPolicy orSameUser() {
    return new UnixPeerPolicy(true, users, groups);
  }

  /** This policy, also admitting these users. */
  public UnixPeerPolicy orUsers(String... more) {
    return new UnixPeerPolicy(sameUser, union(users, names(more, "user")), groups);
  }

  /** This policy, also admitting peers whose effective group is one of these. */
  public UnixPeerPolicy orGroups(String... more) {
    return new UnixPeerPolicy(sameUser, users, union(groups, names(more, "group")));
  }

  /** True when the server's own user is admitted. */
  public boolean admitsSameUser() {
    return sameUser;
  }

  /** The users admitted by name, besides the server's own. */
  public Set<String> users() {
    return users;
  }

  /** The groups admitted by name. */
  public Set<String> groups() {
    return groups;
  }

  /**
   * True when a peer running as {@code user} in {@code group} is admitted by a server running as
   * {@code serverUser}.
   */
  public boolean admits(String user, String group, String serverUser) {
    return (sameUser && user.equals(serverUser)) || users.contains(user)
        || groups.contains(group);
  }

  private static Set<String> names(String[] names, String what) {
    Objects.requireNonNull(names, what + "s");
    if (names.length == 0) {
      throw new IllegalArgumentException("name at least one " + what);
    }
    for (String n : names) {
      if (Objects.requireNonNull(n, what).isEmpty()) {
        throw new IllegalArgumentException("empty " + what + " name in " + Arrays.toString(names));
      }
    }
    return Set.copyOf(new LinkedHashSet<>(Arrays.asList(names)));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnixPeerPolicy p && sameUser == p.sameUser && users.equals(p.users)
        && groups.equals(p.groups);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sameUser, users, groups);
  }

  @Override
  public String toString() {
    return "UnixPeerPolicy[" + (sameUser ? "same user" : "") + (users.isEmpty() ? ""
        : (sameUser ? ", " : "") + "users " + users) + (groups.isEmpty() ? ""
        : (sameUser || !users.isEmpty() ? ", " : "") + "groups " + groups) + "]";
  }
}
