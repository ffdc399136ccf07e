package dev.tether.internal.transport;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/** Directories for Unix-domain sockets that only the current user can enter. */
public final class PrivateDirs {
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  private PrivateDirs() {}

  /**
   * Creates a fresh owner-only directory under the temporary directory (falling back to /tmp when
   * that path is too long for socket addresses).
   *
   * @throws IOException when it cannot be created
   */
  public static Path create() throws IOException {
    return create(false);
  }

  /**
   * Like {@link #create()}; with {@code traversable}, others may traverse the directory
   * ({@code rwx--x--x}) to reach a socket whose server admits other users.
   *
   * @throws IOException when it cannot be created
   */
  public static Path create(boolean traversable) throws IOException {
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    if (base.toString().length() > 60 && Files.isDirectory(Path.of("/tmp"))) {
      base = Path.of("/tmp");
    }
    try {
      Path dir = POSIX
          ? Files.createTempDirectory(base, "tether-",
              PosixFilePermissions.asFileAttribute(OWNER_ONLY))
          : Files.createTempDirectory(base, "tether-");
      if (POSIX && traversable) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
      }
      return dir;
    } catch (IOException e) {
      throw new IOException("cannot create a private socket directory in " + base + ": " + e, e);
    }
  }

  /**
   * Makes sure {@code socket}'s directory exists, belongs to the current user and only they can
   * use it: creates it owner-only if missing, refuses one that others can read or enter, and one
   * that another user owns (its owner could swap the socket or read the traffic, whatever the
   * mode). With {@code traversable} (the server admits other users), others may traverse it
   * ({@code --x}) but still not list or change it; a missing one is created {@code rwx--x--x}.
   *
   * @throws IOException when it cannot be created, another user owns it, or others can use it
   */
  static void requirePrivateParent(Path socket, boolean traversable) throws IOException {
    Path dir = socket.toAbsolutePath().getParent();
    if (!Files.exists(dir)) {
      if (POSIX) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(traversable
            ? PosixFilePermissions.fromString("rwx--x--x") : OWNER_ONLY));
      } else {
        Files.createDirectories(dir);
      }
      return;
    }
    if (POSIX) {
      PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class);
      UserPrincipal me = currentUser(dir);
      if (!attributes.owner().equals(me)) {
        throw new AccessDeniedException(dir.toString(), null, "owned by "
            + attributes.owner().getName() + ", not by " + me.getName() + " who runs this server; "
            + "use a directory of your own, or let Tether create one");
      }
      Set<PosixFilePermission> perms = attributes.permissions();
      for (PosixFilePermission p : perms) {
        if (!p.name().startsWith("OWNER_") && !(traversable && p.name().endsWith("_EXECUTE"))) {
          throw new AccessDeniedException(dir.toString(), null, "accessible to others ("
              + PosixFilePermissions.toString(perms) + "); use a directory only you can read "
              + "(chmod 700), or let Tether create one");
        }
      }
    }
  }

  /**
   * The user this process runs as, as the file system names owners. A uid without a name (some
   * containers) is found as the owner of a file this process creates.
   */
  private static UserPrincipal currentUser(Path dir) throws IOException {
    try {
      return dir.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByName(System.getProperty("user.name"));
    } catch (java.nio.file.attribute.UserPrincipalNotFoundException | SecurityException e) {
      Path probe = Files.createTempFile("tether-owner", ".probe");
      try {
        return Files.getOwner(probe);
      } finally {
        Files.deleteIfExists(probe);
      }
    }
  }

  private static volatile String ownUser;

  /**
   * The name of the user this process runs as, exactly as the JDK names a socket peer's user
   * (see {@link PeerCredentials}): the owner of a file this process creates. Found once per
   * process.
   *
   * @throws IOException when no file can be created in the temporary directory
   */
  public static String currentUserName() throws IOException {
    String name = ownUser;
    if (name == null) {
      Path probe = Files.createTempFile("tether-owner", ".probe");
      try {
        name = Files.getOwner(probe).getName();
      } finally {
        Files.deleteIfExists(probe);
      }
      ownUser = name;
    }
    return name;
  }

  /**
   * Makes a freshly bound socket file usable by its owner only ({@code rw-------}; connecting
   * needs write permission on it), or by everyone when the server admits other users
   * ({@code rw-rw-rw-}: its peer-credential check decides). Its directory is private already;
   * this is a second wall.
   */
  static void setSocketMode(Path socket, boolean othersAdmitted) throws IOException {
    if (POSIX) {
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(
          othersAdmitted ? "rw-rw-rw-" : "rw-------"));
    }
  }

  /** Deletes {@code socket} and, if empty, its directory. Best effort. */
  public static void deleteSocketAndDir(Path socket, boolean dirToo) {
    try {
      Files.deleteIfExists(socket);
      if (dirToo) {
        Files.deleteIfExists(socket.toAbsolutePath().getParent());
      }
    } catch (IOException ignored) {
      // leftovers in a private temp directory harm nobody
    }
  }
}
