package dev.tether.internal.codec;

import static dev.tether.internal.codec.CodecTesting.deepEquals;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CodecCacheTest {

  // Used by no other test, so the first use below is concurrent.
  record Branch(String name, List<Branch> branches, Map<String, Leafy> leaves) {}

  record Leafy(int[] veins, Branch parent) {}

  @Test
  void concurrentFirstUseBuildsWorkingCodecs() throws Exception {
    Type type = new TypeRef<List<Branch>>() {}.type();
    Branch tree = new Branch("root", List.of(new Branch("b", List.of(), Map.of())),
        Map.of("l", new Leafy(new int[] {1}, new Branch("p", null, null))));
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Object>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return CodecTesting.roundTrip(type, List.of(tree));
        }));
      }
      start.countDown();
      for (Future<Object> f : results) {
        assertThat(deepEquals(List.of(tree), f.get())).isTrue();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(Codecs.forType(type)).isSameAs(Codecs.forType(type));
  }

  @Test
  void resolvedAndDeclaredSpellingsOfATypeShareTheCachedCodec() {
    Type declared = new TypeRef<Map<String, List<Integer>>>() {}.type();
    Type resolved = Types.resolve(declared, Map.of());
    assertThat(resolved).isEqualTo(declared).hasSameHashCodeAs(declared);
    assertThat(Codecs.forType(resolved)).isSameAs(Codecs.forType(declared));
  }
}
