package dev.tether.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ErrorCode;
import dev.tether.TetherException;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixTransportTest extends TransportContractTest {
  @TempDir
  Path dir;

  @Override
  String listenAddress() {
    return "unix:" + dir.resolve("private").resolve("s.sock");
  }

  @Test
  void refusesASocketDirectoryOthersCanRead() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThatThrownBy(() -> TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .listen("unix:" + shared.resolve("s.sock"))
        .start())
        .isInstanceOfSatisfying(TetherException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessageContaining("accessible to others");
  }

  @Test
  void refusesAPrivateSocketDirectoryAnotherUserOwns() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "only root can give a directory to another user (chown), so this runs as root only");
    Path theirs = Files.createDirectory(dir.resolve("theirs"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwx------"));
    UserPrincipal nobody = theirs.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByName("nobody");
    Files.getFileAttributeView(theirs, PosixFileAttributeView.class).setOwner(nobody);

    assertThatThrownBy(() -> TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .listen("unix:" + theirs.resolve("s.sock"))
        .start())
        .isInstanceOfSatisfying(TetherException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessageContaining("owned by nobody");
  }
}
