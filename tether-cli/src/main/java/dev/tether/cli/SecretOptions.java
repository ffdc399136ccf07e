package dev.tether.cli;

import dev.tether.SharedSecret;
import dev.tether.TetherOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import picocli.CommandLine.Option;

/**
 * The options of commands that connect to a running server: the shared secret of a {@code tcp:}
 * server that requires one. A picocli mixin, so every such command takes the same flags.
 */
final class SecretOptions {
  @Option(names = "--key-id", description = "key id of the shared secret for a tcp: server")
  String keyId;

  @Option(names = "--secret-file", description = "file holding the shared secret, base64"
      + " (as from openssl rand -base64 32); needs --key-id")
  Path secretFile;

  /** The connection options these flags ask for. */
  TetherOptions options() {
    TetherOptions options = TetherOptions.defaults();
    if (keyId == null && secretFile == null) {
      return options;
    }
    if (keyId == null || secretFile == null) {
      throw new IllegalArgumentException("--key-id and --secret-file go together");
    }
    byte[] secret;
    try {
      secret = Base64.getMimeDecoder().decode(Files.readString(secretFile).strip());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --secret-file " + secretFile + ": " + e);
    }
    return options.withSharedSecret(SharedSecret.of(keyId, secret));
  }
}
