package dev.tether;

import java.util.List;

/**
 * What every server exports under {@link #NAME}, for monitoring: its statistics and its orphaned
 * calls. {@code tether inspect ADDRESS} uses it; so can any client:
 * {@code tether.get(TetherAdmin.class, TetherAdmin.NAME).stats()}.
 */
public interface TetherAdmin {
  /** The export name of the admin object. */
  String NAME = "tether.admin";

  /** A snapshot of the server's activity. */
  ServerStats stats();

  /** Calls running now whose callers gave up, longest running first. */
  List<OrphanedCall> orphans();
}
