package dev.tether.fuzz;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The interface the fuzz targets decode and call: nested lists, maps, sets, recursive records,
 * strings, arrays, enums, optionals and value types. Every method of its implementation is cheap
 * and pure, so a fuzzed call can never hang or exhaust the server by itself.
 */
public interface FuzzService {
  /** An enum that travels by index. */
  enum Kind { LEAF, BRANCH, LINK }

  /** A recursive record with arrays, lists and maps inside. */
  record Node(String name, Kind kind, long[] weights, List<Node> children,
      Map<String, Node> links) {}

  /** A flat record of value types. */
  record Stamp(UUID id, Instant at, Duration took, BigDecimal amount, Optional<String> label) {}

  /** Returns {@code x}: the call the healthy client makes. */
  int echo(int x);

  /** Counts the strings in {@code lists}: the shape of the decode-amplification attack. */
  int count(List<List<String>> lists);

  /** Returns {@code node}. */
  Node echoNode(Node node);

  /** Returns {@code index}, ignoring {@code ids}. */
  Map<String, List<int[]>> index(Map<String, List<int[]>> index, Set<UUID> ids);

  /** Returns how many parts there are, and the separator's length. */
  String describe(String[] parts, Optional<String> separator, char[] chars, byte[] bytes);

  /** Returns {@code stamps}. */
  List<Stamp> stamps(List<Stamp> stamps, double[] scores, boolean flag);
}
