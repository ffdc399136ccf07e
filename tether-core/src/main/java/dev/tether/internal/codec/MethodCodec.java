package dev.tether.internal.codec;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Everything needed to carry one interface method's arguments and result.
 *
 * <p>Built once per method and immutable; all methods are thread-safe. Arguments are written one
 * after the other, each in its type's format, with no count or framing; the result likewise. The
 * decode methods expect a reader positioned at and limited to exactly those bytes.
 */
public final class MethodCodec {

  private static final Object[] NO_ARGS = {};

  private final Method method;
  private final BaseCodec[] params;
  private final BaseCodec result;
  private final boolean async;
  private final Type resultType;
  private final String signature;
  /** Indexes of the {@link InputStream} parameters; empty for most methods. */
  private final int[] streamParams;
  private final boolean streamResult;
  /** Any stream parameter or result: the one flag the call paths check. */
  private final boolean hasStreams;
  /** Per parameter: the element codec of a {@code Stream<T>} parameter, else null. */
  private final Codec<Object>[] elements;
  /** The element codec of a {@code Stream<T>} result, else null. */
  private final Codec<Object> resultElements;

  /** What {@link #decodeArgs} and {@link #decodeResult} yield in place of a stream that is sent. */
  public static final Object STREAM = StreamSlotCodec.PRESENT;

  private MethodCodec(Method method, BaseCodec[] params, BaseCodec result, boolean async,
      Type resultType, String signature, Codec<Object>[] elements, Codec<Object> resultElements) {
    this.elements = elements;
    this.resultElements = resultElements;
    this.method = method;
    this.params = params;
    this.result = result;
    this.async = async;
    this.resultType = resultType;
    this.signature = signature;
    this.streamParams = java.util.stream.IntStream.range(0, params.length)
        .filter(i -> params[i] == StreamSlotCodec.INSTANCE).toArray();
    this.streamResult = result == StreamSlotCodec.INSTANCE;
    this.hasStreams = streamResult || streamParams.length > 0;
  }

  /**
   * Builds the codec of a method.
   *
   * <p>A return type of {@code CompletableFuture<T>} or {@code CompletionStage<T>} makes the
   * method {@linkplain #isAsync() async} and its result codec that of T.
   *
   * @throws UnsupportedTypeException whose message names the method, e.g.
   *     {@code "for method Calculator.add(Object, int): parameter 0: unsupported type
   *     java.lang.Object: ..."} or {@code "...: return type: ..."}
   */
  public static MethodCodec of(Method m) {
    Type[] types = m.getGenericParameterTypes();
    BaseCodec[] params = new BaseCodec[types.length];
    @SuppressWarnings("unchecked")
    Codec<Object>[] elements = new Codec[types.length];
    StringBuilder sig = new StringBuilder(m.getName()).append('(');
    for (int i = 0; i < types.length; i++) {
      if (types[i] == InputStream.class) {
        params[i] = StreamSlotCodec.INSTANCE;
        sig.append(i == 0 ? "" : ",").append("InputStream");
        continue;
      }
      try {
        Type element = elementOf(types[i]);
        if (element != null) {
          params[i] = StreamSlotCodec.INSTANCE;
          elements[i] = Codecs.codec(element);
          sig.append(i == 0 ? "" : ",").append("Stream<").append(Codecs.schemaOf(element))
              .append('>');
          continue;
        }
      } catch (UnsupportedTypeException e) {
        throw failure(m, "parameter " + i, e);
      }
      try {
        params[i] = Codecs.codec(types[i]);
        sig.append(i == 0 ? "" : ",").append(Codecs.schemaOf(types[i]));
      } catch (UnsupportedTypeException e) {
        throw failure(m, "parameter " + i, e);
      }
    }
    sig.append(')');
    Type declared = m.getGenericReturnType();
    Class<?> raw = m.getReturnType();
    boolean async = raw == CompletableFuture.class || raw == CompletionStage.class;
    if (async && java.util.Arrays.asList(params).contains(StreamSlotCodec.INSTANCE)) {
      throw failure(m, "parameters", new UnsupportedTypeException("InputStream and Stream "
          + "parameters are supported in synchronous methods only"));
    }
    if (declared == InputStream.class) {
      sig.append("InputStream");
      return new MethodCodec(m, params, StreamSlotCodec.INSTANCE, false, declared, sig.toString(),
          elements, null);
    }
    try {
      Type element = async ? null : elementOf(declared);
      if (element != null) {
        Codec<Object> c = Codecs.codec(element);
        sig.append("Stream<").append(Codecs.schemaOf(element)).append('>');
        return new MethodCodec(m, params, StreamSlotCodec.INSTANCE, false, declared,
            sig.toString(), elements, c);
      }
    } catch (UnsupportedTypeException e) {
      throw failure(m, "return type", e);
    }
    try {
      Type type = async ? futureValue(declared, raw) : declared;
      if (async && type == InputStream.class) {
        throw new UnsupportedTypeException("an InputStream result is supported in synchronous "
            + "methods only");
      }
      boolean isVoid = type == void.class || type == Void.class;
      if (!isVoid && type instanceof Class<?> c && c.isPrimitive()) {
        // Results always travel nullable, so "int m()" and "CompletableFuture<Integer> m()"
        // are the same on the wire and a sync and an async view of one service interoperate.
        type = Types.box(c);
      }
      BaseCodec result = isVoid ? null : Codecs.codec(type);
      sig.append(isVoid ? "void" : Codecs.schemaOf(type));
      if (async && elementOf(type) != null) {
        throw new UnsupportedTypeException("a Stream result is supported in synchronous "
            + "methods only");
      }
      return new MethodCodec(m, params, result, async, async ? type : declared, sig.toString(),
          elements, null);
    } catch (UnsupportedTypeException e) {
      throw failure(m, "return type", e);
    }
  }

  /** Returns the method this codec was built for. */
  public Method method() {
    return method;
  }

  /**
   * Writes the arguments of a call.
   *
   * @param args the arguments as passed to an invocation handler; null means none
   * @throws IllegalArgumentException if the number of arguments is wrong, or a value is nested
   *     deeper than 512 levels
   */
  public void encodeArgs(ByteWriter out, Object[] args) {
    int n = args == null ? 0 : args.length;
    if (n != params.length) {
      throw new IllegalArgumentException(Types.describe(method) + " takes " + params.length
          + " argument(s), got " + n);
    }
    for (int i = 0; i < n; i++) {
      params[i].encode(out, args[i]);
    }
  }

  /**
   * Reads the arguments of a call; primitives come back boxed.
   *
   * @return the arguments, or a shared empty array for a method without parameters
   * @throws DecodeException if the bytes are malformed or not consumed exactly
   */
  public Object[] decodeArgs(ByteReader in) {
    try {
      Object[] args = params.length == 0 ? NO_ARGS : new Object[params.length];
      for (int i = 0; i < args.length; i++) {
        args[i] = params[i].decode(in);
      }
      expectEnd(in, "arguments");
      return args;
    } catch (DecodeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DecodeException("cannot decode arguments of " + Types.describe(method), e);
    }
  }

  /**
   * Writes the result of a call (for an async method, the value the future completed with); a
   * void method writes nothing.
   *
   * @throws IllegalArgumentException if the value is nested deeper than 512 levels
   */
  public void encodeResult(ByteWriter out, Object value) {
    if (result != null) {
      result.encode(out, value);
    }
  }

  /**
   * Reads the result of a call; primitives come back boxed, void methods yield null. A method
   * declared to return a primitive may still yield null (a server that answers through a future
   * completed with null): the caller must check.
   *
   * @throws DecodeException if the bytes are malformed or not consumed exactly
   */
  public Object decodeResult(ByteReader in) {
    try {
      Object value = result == null ? null : result.decode(in);
      expectEnd(in, "result");
      return value;
    } catch (DecodeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DecodeException("cannot decode result of " + Types.describe(method), e);
    }
  }

  /** True when a parameter or the result is an {@link InputStream}: one flag for the call paths. */
  public boolean hasStreams() {
    return hasStreams;
  }

  /** Indexes of the {@link InputStream} parameters (do not modify). */
  public int[] streamParams() {
    return streamParams;
  }

  /** True when the method returns an {@link InputStream} or a {@code Stream<T>}. */
  public boolean streamResult() {
    return streamResult;
  }

  /** The element codec of parameter {@code i} when it is a {@code Stream<T>}, else null. */
  public Codec<Object> streamElements(int i) {
    return elements[i];
  }

  /** The element codec of a {@code Stream<T>} result, else null. */
  public Codec<Object> resultElements() {
    return resultElements;
  }

  /** T of {@code java.util.stream.Stream<T>}, or null when {@code t} is not a Stream. */
  private static Type elementOf(Type t) {
    if (!(t instanceof Class<?> || t instanceof java.lang.reflect.ParameterizedType)
        || Types.rawClass(t) != java.util.stream.Stream.class) {
      return null;
    }
    Type[] args = Types.arguments(t);
    if (args.length == 0) {
      throw new UnsupportedTypeException("raw type java.util.stream.Stream: declare its element "
          + "type, e.g. Stream<String>");
    }
    return Types.resolve(args[0], Map.of());
  }

  /** Returns true if the method returns {@code CompletableFuture<T>} or {@code CompletionStage<T>}. */
  public boolean isAsync() {
    return async;
  }

  /** Returns true if the method has no result: {@code void}, {@code Void} or a future of Void. */
  public boolean isVoid() {
    return result == null;
  }

  /** Returns the type of the result: T for an async method, else the generic return type. */
  public Type resultType() {
    return resultType;
  }

  /**
   * Returns {@code name(schema of each parameter, comma-separated)schema of result}, with
   * {@code void} for no result; client and server compare it to check that they agree. Results
   * travel nullable (a primitive result as its box), so a method returning T (or the primitive
   * whose box is T) and one returning {@code CompletableFuture<T>} have the same signature, as
   * their bytes are the same.
   */
  public String signature() {
    return signature;
  }

  @Override
  public String toString() {
    return "MethodCodec[" + signature + "]";
  }

  private void expectEnd(ByteReader in, String what) {
    if (in.remaining() != 0) {
      throw new DecodeException(in.remaining() + " unexpected byte(s) after the " + what + " of "
          + Types.describe(method));
    }
  }

  private static Type futureValue(Type declared, Class<?> raw) {
    Type[] args = Types.arguments(declared);
    if (args.length == 0) {
      throw new UnsupportedTypeException("raw type " + raw.getTypeName()
          + ": declare its result type, e.g. " + raw.getSimpleName() + "<String>");
    }
    return Types.resolve(args[0], Map.of());
  }

  private static UnsupportedTypeException failure(Method m, String where,
      UnsupportedTypeException e) {
    return new UnsupportedTypeException(
        "for method " + Types.describe(m) + ": " + where + ": " + e.getMessage());
  }
}
