package dev.tether.internal.codec;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A remote interface checked and parsed once: its remote methods in a stable order (sorted by
 * signature, so both sides agree), each with its {@link MethodCodec}. Default and static methods
 * and redeclared {@code Object} methods are not remote. Cached per interface.
 */
public final class InterfaceSchema {
  private static final ClassValue<InterfaceSchema> CACHE = new ClassValue<>() {
    @Override
    protected InterfaceSchema computeValue(Class<?> type) {
      return new InterfaceSchema(type);
    }
  };

  private final Class<?> type;
  private final MethodCodec[] methods;
  private final List<String> signatures;
  private final Map<Method, Integer> indexByMethod;
  private final Map<String, Integer> indexBySignature;

  private InterfaceSchema(Class<?> type) {
    if (!type.isInterface() || type.isAnnotation()) {
      throw new IllegalArgumentException(type.getName()
          + " is not an interface: Tether exports and proxies Java interfaces");
    }
    if (!Modifier.isPublic(type.getModifiers())) {
      throw new IllegalArgumentException("interface " + type.getName() + " must be public");
    }
    Map<String, MethodCodec> bySig = new LinkedHashMap<>();
    Map<Method, String> sigByMethod = new HashMap<>();
    for (Method m : type.getMethods()) {
      if (!isRemote(m)) {
        continue;
      }
      MethodCodec codec = MethodCodec.of(m);
      bySig.putIfAbsent(codec.signature(), codec);
      sigByMethod.put(m, codec.signature());
    }
    List<MethodCodec> sorted = new ArrayList<>(bySig.values());
    sorted.sort(Comparator.comparing(MethodCodec::signature));
    this.type = type;
    this.methods = sorted.toArray(new MethodCodec[0]);
    List<String> sigs = new ArrayList<>();
    Map<String, Integer> bySignature = new HashMap<>();
    for (int i = 0; i < methods.length; i++) {
      sigs.add(methods[i].signature());
      bySignature.put(methods[i].signature(), i);
    }
    this.signatures = Collections.unmodifiableList(sigs);
    this.indexBySignature = Map.copyOf(bySignature);
    Map<Method, Integer> byMethod = new HashMap<>();
    sigByMethod.forEach((m, sig) -> byMethod.put(m, bySignature.get(sig)));
    this.indexByMethod = Map.copyOf(byMethod);
  }

  /**
   * The schema of {@code iface}.
   *
   * @throws IllegalArgumentException when it is not a public interface or a method uses a type the
   *     codec cannot carry; the message names the method and the type
   */
  public static InterfaceSchema of(Class<?> iface) {
    return CACHE.get(iface);
  }

  /** True for methods that travel: abstract, not static, not a redeclared Object method. */
  public static boolean isRemote(Method m) {
    int mod = m.getModifiers();
    return !Modifier.isStatic(mod) && !m.isDefault() && !isObjectMethod(m);
  }

  private static boolean isObjectMethod(Method m) {
    try {
      Object.class.getMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** The interface. */
  public Class<?> type() {
    return type;
  }

  /** Number of remote methods. */
  public int size() {
    return methods.length;
  }

  /** The codec of remote method {@code index}. */
  public MethodCodec method(int index) {
    return methods[index];
  }

  /** Signatures of the remote methods, in index order. */
  public List<String> signatures() {
    return signatures;
  }

  /** Index of a remote method, or -1 when {@code m} is not one of this interface's remote methods. */
  public int indexOf(Method m) {
    Integer i = indexByMethod.get(m);
    if (i != null) {
      return i;
    }
    for (Map.Entry<Method, Integer> e : indexByMethod.entrySet()) {
      Method k = e.getKey();
      if (k.getName().equals(m.getName())
          && Arrays.equals(k.getParameterTypes(), m.getParameterTypes())) {
        return e.getValue();
      }
    }
    return -1;
  }

  /** Index of the method with this signature, or -1. */
  public int indexOfSignature(String signature) {
    Integer i = indexBySignature.get(signature);
    return i == null ? -1 : i;
  }
}
