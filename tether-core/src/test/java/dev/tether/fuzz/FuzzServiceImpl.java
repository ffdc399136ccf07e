package dev.tether.fuzz;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Cheap, pure implementation of {@link FuzzService}. */
public final class FuzzServiceImpl implements FuzzService {
  @Override
  public int echo(int x) {
    return x;
  }

  @Override
  public int count(List<List<String>> lists) {
    int n = 0;
    for (List<String> l : lists) {
      n += l == null ? 0 : l.size();
    }
    return n;
  }

  @Override
  public Node echoNode(Node node) {
    return node;
  }

  @Override
  public Map<String, List<int[]>> index(Map<String, List<int[]>> index, Set<UUID> ids) {
    return index;
  }

  @Override
  public String describe(String[] parts, Optional<String> separator, char[] chars, byte[] bytes) {
    return (parts == null ? -1 : parts.length) + "/"
        + (separator == null ? -1 : separator.map(String::length).orElse(0));
  }

  @Override
  public List<Stamp> stamps(List<Stamp> stamps, double[] scores, boolean flag) {
    return stamps;
  }
}
