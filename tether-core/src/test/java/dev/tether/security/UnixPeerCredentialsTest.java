package dev.tether.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.ErrorCode;
import dev.tether.Tether;
import dev.tether.TetherException;
import dev.tether.TetherServer;
import dev.tether.UnixPeerPolicy;
import dev.tether.fixtures.WhoService;
import dev.tether.fixtures.WhoServiceImpl;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server asks the kernel who connected to its Unix socket (SO_PEERCRED) and admits only its
 * own user unless told otherwise; the refusal comes before any frame of the peer is read.
 */
class UnixPeerCredentialsTest {
  private final WhoServiceImpl impl = new WhoServiceImpl();

  private TetherServer.Builder server() {
    return TetherServer.builder().export("who", WhoService.class, impl);
  }

  @Test
  void theSocketFileAndItsDirectoryAreUsableByTheOwnerOnly() throws Exception {
    try (TetherServer s = server().start()) {
      Path socket = Path.of(s.address().substring("unix:".length()));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(
          Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");
    }
  }

  @Test
  void aPolicyThatAdmitsOthersLetsThemReachTheSocketButNotChangeTheDirectory() throws Exception {
    try (TetherServer s = server().unixPeers(UnixPeerPolicy.sameUser().orGroups("ops"))
        .start()) {
      Path socket = Path.of(s.address().substring("unix:".length()));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
          .isEqualTo("rw-rw-rw-");
      assertThat(PosixFilePermissions.toString(
          Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx--x--x");
    }
  }

  @Test
  void theSameUserIsAdmittedAndSeesItsUnixIdentity() throws Exception {
    String me = ownerOfNewFile();
    try (TetherServer s = server().start(); Tether t = Tether.connect(s.address())) {
      WhoService who = t.get(WhoService.class, "who");
      assertThat(who.who()).startsWith("CallerIdentity[UNIX_PEER user=" + me + " group=");
      assertThat(who.whoInScope()).isEqualTo(who.who());
      assertThat(s.stats().authFailures()).isZero();
    }
  }

  @Test
  void anAllowListWithoutThisUserRefusesItBeforeReadingAnything() throws Exception {
    try (TetherServer s = server().unixPeers(UnixPeerPolicy.users("tether-nobody-else"))
        .start()) {
      TetherException e = catchThrowableOfType(TetherException.class,
          () -> Tether.connect(s.address()));
      assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
      assertThat(e.getMessage()).contains("may not connect").contains("tether-nobody-else");
      assertThat(s.stats().authFailures()).isEqualTo(1);
      assertThat(s.stats().connectionsAccepted()).as("no connection was set up").isZero();
      assertThat(s.stats().callsStarted()).isZero();
      assertThat(impl.calls).hasValue(0);
    }
  }

  @Test
  void aGroupOnTheAllowListAdmitsItsMembers() throws Exception {
    Path probe = Files.createTempFile("tether-group", ".probe");
    String group;
    try {
      group = Files.readAttributes(probe, java.nio.file.attribute.PosixFileAttributes.class)
          .group().getName();
    } finally {
      Files.delete(probe);
    }
    try (TetherServer s = server().unixPeers(UnixPeerPolicy.users("tether-nobody-else")
        .orGroups(group)).start(); Tether t = Tether.connect(s.address())) {
      assertThat(t.get(WhoService.class, "who").who()).endsWith("group=" + group + "]");
    }
  }

  @Test
  void anotherOsUserIsRefusedByTheCredentialCheckItselfAndAdmittedWhenListed()
      throws Exception {
    assumeTrue(run(List.of("id", "-u")).trim().equals("0"),
        "needs root to create a second OS user (useradd) and run a client as it (setpriv)");
    assumeTrue(new File("/usr/sbin/useradd").canExecute() || onPath("useradd"),
        "useradd is missing");
    assumeTrue(onPath("setpriv"), "setpriv is missing");
    String user = "tether-t" + ProcessHandle.current().pid();
    run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
        "--user-group", user));
    try {
      String uid = run(List.of("id", "-u", user)).trim();
      String gid = run(List.of("id", "-g", user)).trim();
      List<String> asOther = List.of("setpriv", "--reuid=" + uid, "--regid=" + gid,
          "--clear-groups");
      // The policy admits someone besides this user, so the socket is reachable through the file
      // system (rw-rw-rw-, directory rwx--x--x): the credential check is what refuses the user.
      try (TetherServer s = server().unixPeers(UnixPeerPolicy.sameUser()
          .orUsers("tether-nobody-else")).start()) {
        Result other = exec(concat(asOther, client(s.address())));
        assertThat(other.exit).as(other.out).isEqualTo(3);
        assertThat(other.out).contains("REFUSED UNAUTHENTICATED").contains("user " + user);
        assertThat(s.stats().authFailures()).isEqualTo(1);
        assertThat(s.stats().connectionsAccepted()).isZero();
        assertThat(impl.calls).hasValue(0);

        Result root = exec(client(s.address()));
        assertThat(root.exit).as(root.out).isZero();
        assertThat(root.out).contains("OK CallerIdentity[UNIX_PEER user=root group=root]");
      }
      try (TetherServer s = server().unixPeers(UnixPeerPolicy.users(user)).start()) {
        Result admitted = exec(concat(asOther, client(s.address())));
        assertThat(admitted.exit).as(admitted.out).isZero();
        assertThat(admitted.out).contains("OK CallerIdentity[UNIX_PEER user=" + user + " group=");
      }
    } finally {
      run(List.of("userdel", user));
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static List<String> client(String address) throws Exception {
    String cp = location(Tether.class) + File.pathSeparator + location(PeerClientMain.class);
    return List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp", cp,
        PeerClientMain.class.getName(), address);
  }

  private static String location(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private record Result(int exit, String out) {}

  private static Result exec(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes(); // ends when the process exits
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("client exited").isTrue();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static String run(List<String> command) throws Exception {
    Result r = exec(command);
    if (r.exit != 0) {
      throw new IOException(command + " failed (" + r.exit + "): " + r.out);
    }
    return r.out;
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, tool).canExecute()) {
        return true;
      }
    }
    return false;
  }

  private static String ownerOfNewFile() throws IOException {
    Path probe = Files.createTempFile("tether-owner", ".probe");
    try {
      return Files.getOwner(probe).getName();
    } finally {
      Files.delete(probe);
    }
  }
}
