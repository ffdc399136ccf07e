package dev.tether.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version the build wrote into {@code version.properties}. */
public final class TetherVersion implements IVersionProvider {
  /** Creates the provider (picocli does). */
  public TetherVersion() {}

  /** The build's version, e.g. {@code 0.1.0-SNAPSHOT}, or "unknown" outside a build. */
  public static String version() {
    try (InputStream in = TetherVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"tether " + version(), "Java " + Runtime.version() + " ("
        + System.getProperty("java.vendor", "unknown vendor") + ")"};
  }
}
