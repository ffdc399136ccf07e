package dev.tether.internal.codec;

import static dev.tether.internal.codec.CodecTesting.deepEquals;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
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

  /**
   * Application servers and dev-mode reloaders drop a class loader to unload user code: a cache
   * that holds user types strongly keeps the loader, and every class it loaded, forever.
   */
  @Test
  void codecsOfUserTypesDoNotKeepTheirClassLoaderAlive() throws Exception {
    ReferenceQueue<ClassLoader> queue = new ReferenceQueue<>();
    WeakReference<ClassLoader> loader = useTypesFromAThrowAwayLoader(queue);
    for (int i = 0; i < 100 && loader.get() != null; i++) {
      System.gc();
      queue.remove(100); // bounded: returns when the loader is collected, or after 100 ms
    }
    assertThat(loader.get()).as("the throw-away class loader was collected").isNull();
  }

  private static WeakReference<ClassLoader> useTypesFromAThrowAwayLoader(
      ReferenceQueue<ClassLoader> queue) throws Exception {
    ClassLoader loader = new ChildFirstLoader("dev.tether.internal.codec.reload.",
        CodecCacheTest.class.getClassLoader());
    Class<?> iface = loader.loadClass("dev.tether.internal.codec.reload.ReloadableService");
    assertThat(iface.getClassLoader()).isSameAs(loader);
    InterfaceSchema schema = InterfaceSchema.of(iface);
    assertThat(schema.size()).isEqualTo(2);
    for (Method m : iface.getMethods()) {
      for (Type t : m.getGenericParameterTypes()) {
        assertThat(Codecs.schemaOf(t)).isNotEmpty();
        assertThat(Codecs.forType(t)).isSameAs(Codecs.forType(t));
      }
    }
    return new WeakReference<>(loader, queue);
  }

  /** Defines the classes of one package itself, from the parent's class files. */
  private static final class ChildFirstLoader extends ClassLoader {
    private final String prefix;

    ChildFirstLoader(String prefix, ClassLoader parent) {
      super("throw-away", parent);
      this.prefix = prefix;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(prefix)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try (InputStream in = getParent().getResourceAsStream(
              name.replace('.', '/') + ".class")) {
            if (in == null) {
              throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            c = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        return c;
      }
    }
  }
}
