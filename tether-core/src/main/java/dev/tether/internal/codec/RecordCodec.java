package dev.tether.internal.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.Map;
import java.util.function.Function;

/**
 * Codec body of a record type, possibly generic and possibly recursive.
 *
 * <p>Wire format (after the presence byte): the components in declaration order, each in its own
 * format (primitives without, references with a presence byte). Values are read through method
 * handles to the accessors (primitives are written without boxing) and built through the
 * canonical constructor; an exception from the constructor becomes a {@link DecodeException}.
 * Each record counts as one nesting level.
 */
final class RecordCodec extends BaseCodec {

  private static final Object[] NO_ARGS = {};
  private static final MethodHandle ENCODE;

  static {
    try {
      ENCODE = MethodHandles.lookup().findVirtual(BaseCodec.class, "encode",
          MethodType.methodType(void.class, ByteWriter.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Type type;
  private final Class<?> raw;
  private final String[] names;
  private final BaseCodec[] components;
  private final MethodHandle[] writers;
  private final MethodHandle constructor;

  private RecordCodec(Type type, Class<?> raw, String[] names, BaseCodec[] components,
      MethodHandle[] writers, MethodHandle constructor) {
    this.type = type;
    this.raw = raw;
    this.names = names;
    this.components = components;
    this.writers = writers;
    this.constructor = constructor;
  }

  /**
   * Builds the codec of the resolved record type {@code type}.
   *
   * @param slotOf returns the codec (with presence byte where needed) of a resolved type
   * @throws UnsupportedTypeException naming the record and component that cannot be encoded
   */
  static RecordCodec create(Type type, Function<Type, BaseCodec> slotOf) {
    Class<?> raw = Types.rawClass(type);
    Map<TypeVariable<?>, Type> bindings = Types.bindings(raw, type);
    RecordComponent[] rc = raw.getRecordComponents();
    String[] names = new String[rc.length];
    BaseCodec[] codecs = new BaseCodec[rc.length];
    MethodHandle[] writers = new MethodHandle[rc.length];
    Class<?>[] erased = new Class<?>[rc.length];
    for (int i = 0; i < rc.length; i++) {
      names[i] = rc[i].getName();
      erased[i] = rc[i].getType();
      try {
        codecs[i] = slotOf.apply(Types.resolve(rc[i].getGenericType(), bindings));
      } catch (UnsupportedTypeException e) {
        String where = "in record " + raw.getTypeName() + ", component " + names[i] + ": ";
        throw e.getMessage().startsWith(where) ? e
            : new UnsupportedTypeException(where + e.getMessage());
      }
      writers[i] = writer(erased[i], accessor(raw, rc[i].getAccessor()), codecs[i]);
    }
    MethodHandle ctor = constructor(raw, erased)
        .asType(MethodType.genericMethodType(rc.length))
        .asSpreader(Object[].class, rc.length);
    return new RecordCodec(type, raw, names, codecs, writers, ctor);
  }

  @Override
  public void encode(ByteWriter out, Object value) {
    out.enterNested();
    try {
      for (MethodHandle w : writers) {
        w.invokeExact(out, value);
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    out.exitNested();
  }

  @Override
  public Object decode(ByteReader in) {
    in.enterNested();
    in.charge(ByteReader.OBJECT_BYTES + 8L * components.length);
    Object[] args = components.length == 0 ? NO_ARGS : new Object[components.length];
    for (int i = 0; i < args.length; i++) {
      args[i] = components[i].decode(in);
    }
    in.exitNested();
    try {
      return (Object) constructor.invokeExact(args);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      throw new DecodeException(
          "record " + raw.getTypeName() + " rejected the decoded values: " + t, t);
    }
  }

  @Override
  void describe(SchemaWriter schema) {
    if (schema.define(type)) {
      schema.append(raw.getSimpleName()).append("(");
      for (int i = 0; i < names.length; i++) {
        schema.append(i == 0 ? "" : ",").append(names[i]).append(":").append(components[i]);
      }
      schema.append(")");
    }
  }

  /** Returns a handle {@code (ByteWriter, Object record) -> void} that writes one component. */
  private static MethodHandle writer(Class<?> erased, MethodHandle getter, BaseCodec codec) {
    boolean primitive = erased.isPrimitive();
    MethodHandle write = primitive ? PrimitiveWriters.forType(erased) : ENCODE.bindTo(codec);
    Class<?> got = primitive ? erased : Object.class;
    return MethodHandles.filterArguments(
        write, 1, getter.asType(MethodType.methodType(got, Object.class)));
  }

  private static MethodHandle accessor(Class<?> raw, Method m) {
    try {
      return MethodHandles.publicLookup().unreflect(m);
    } catch (IllegalAccessException e) {
      try {
        m.setAccessible(true);
        return MethodHandles.lookup().unreflect(m);
      } catch (RuntimeException | IllegalAccessException e2) {
        throw inaccessible(raw, e2);
      }
    }
  }

  private static MethodHandle constructor(Class<?> raw, Class<?>[] erased) {
    Constructor<?> c;
    try {
      c = raw.getDeclaredConstructor(erased);
    } catch (NoSuchMethodException e) {
      throw new UnsupportedTypeException(
          "unsupported type " + raw.getTypeName() + ": no canonical constructor found");
    }
    try {
      return MethodHandles.publicLookup().unreflectConstructor(c);
    } catch (IllegalAccessException e) {
      try {
        c.setAccessible(true);
        return MethodHandles.lookup().unreflectConstructor(c);
      } catch (RuntimeException | IllegalAccessException e2) {
        throw inaccessible(raw, e2);
      }
    }
  }

  private static UnsupportedTypeException inaccessible(Class<?> raw, Exception e) {
    return new UnsupportedTypeException("unsupported type " + raw.getTypeName()
        + ": record is not accessible to Tether (" + e.getMessage()
        + "); make it public in an exported package, or open its package");
  }
}
