package dev.tether.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code tether bench} was asked to run.
 *
 * @param quick the short run
 * @param samples samples per percentile metric, or 0 for the default
 * @param only the systems to run, in table order
 * @param markdown where to write the report's markdown too, or null
 * @param html where to write the HTML report, or null for none
 * @param tetherSpinNanos Tether's idle strategy for this run, or -1 for its default
 * @param attacks run the attack benchmark instead of the side-by-side one
 * @param streams run the stream benchmark ({@code stream_mb_s} and friends) instead
 * @param scale run the scaling tables instead
 * @param coldSamples when positive, run only the cold rows ({@code cancel_release_cold},
 *     {@code cancel_observe_cold}, {@code one_way_cold}) with this many samples each
 */
public record BenchSettings(boolean quick, int samples, List<String> only, Path markdown,
    Path html, long tetherSpinNanos, boolean attacks, boolean streams, boolean scale,
    int coldSamples) {
  /** Every system of the side-by-side benchmark, in table order. */
  public static final List<String> SYSTEMS =
      List.of("tether-uds", "tether-tcp", "tether-tls", "tether-uds-nospin", "tether-tcp-nospin",
          "rmi", "grpc", "lsp4j", "raw-uds", "raw-tcp", "raw-uds-spin", "raw-tcp-spin");

  /** Copies the list. */
  public BenchSettings {
    only = List.copyOf(only);
  }
}
