package dev.tether.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.Serializable;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class RejectionTest {

  private static final String PREFIX = "dev.tether.internal.codec.RejectionTest$";

  interface Calculator {
    int add(Object a, int b);
  }

  @SuppressWarnings("rawtypes")
  interface RawStore {
    void put(List items);

    Map all();

    Optional find();

    CompletableFuture load();
  }

  interface Wildcards {
    void anything(List<?> items);

    void lower(List<? super Integer> items);

    CompletableFuture<?> later();
  }

  interface Variables<T> {
    <R> R get(String key);

    void save(T item);
  }

  interface Kinds {
    void task(Runnable r);

    void number(Number n);

    void thread(Thread t);

    void stream(java.util.List<InputStream> in);

    @SuppressWarnings("rawtypes")
    void rawStream(java.util.stream.Stream s); // a stream is only supported as a parameter or result

    void legacy(Legacy l);

    void concrete(ArrayList<String> list);

    void future(CompletableFuture<String> f);

    void nothing(Void v);

    void iterable(Iterable<String> it);

    void deep(Map<String, List<Object>> m);
  }

  interface Records {
    void holder(Holder h);

    @SuppressWarnings("rawtypes")
    void rawPair(Pair p);

    void sorted(SortedSet<Point> points);

    void grow(Grow<String> g);

    void outer(Outer o);
  }

  static final class Legacy implements Serializable {}

  record Holder(String name, Object value) {}

  record Pair<A, B>(A a, B b) {}

  record Point(int x, int y) {}

  record Grow<T>(T value, Grow<List<T>> next) {}

  record Outer(List<Inner> inners) {}

  record Inner(Thread owner) {}

  private static Method method(Class<?> type, String name) {
    for (Method m : type.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no method " + name);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> rejecting(Class<?> type,
      String name) {
    return assertThatThrownBy(() -> MethodCodec.of(method(type, name)))
        .isInstanceOf(UnsupportedTypeException.class)
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsObjectNamingTheMethodAndParameter() {
    rejecting(Calculator.class, "add").hasMessage("for method Calculator.add(Object, int):"
        + " parameter 0: unsupported type java.lang.Object: declare a concrete type (record,"
        + " enum, String, collection...)");
  }

  @Test
  void rejectsRawListNamingTheMethod() {
    rejecting(RawStore.class, "put").hasMessage("for method RawStore.put(List): parameter 0:"
        + " raw type java.util.List: declare its element type, e.g. List<String>");
  }

  @Test
  void rejectsRawMapOptionalAndFutureReturnTypes() {
    rejecting(RawStore.class, "all").hasMessage("for method RawStore.all(): return type:"
        + " raw type java.util.Map: declare its key and value types, e.g. Map<String, Integer>");
    rejecting(RawStore.class, "find").hasMessage("for method RawStore.find(): return type:"
        + " raw type java.util.Optional: declare its value type, e.g. Optional<String>");
    rejecting(RawStore.class, "load").hasMessage("for method RawStore.load(): return type:"
        + " raw type java.util.concurrent.CompletableFuture: declare its result type,"
        + " e.g. CompletableFuture<String>");
  }

  @Test
  void rejectsUnboundedAndSuperWildcards() {
    rejecting(Wildcards.class, "anything").hasMessage("for method Wildcards.anything(List<?>):"
        + " parameter 0: unsupported type java.util.List<?>: unbounded wildcard ? does not say"
        + " what to decode; declare a concrete type argument, e.g. List<String>");
    rejecting(Wildcards.class, "lower").hasMessageStartingWith(
        "for method Wildcards.lower(List<? super Integer>): parameter 0: unsupported type"
        + " java.util.List<? super java.lang.Integer>: wildcard ? super java.lang.Integer");
    rejecting(Wildcards.class, "later").hasMessageStartingWith(
        "for method Wildcards.later(): return type: unsupported type ?: unbounded wildcard");
  }

  @Test
  void rejectsTypeVariablesOfTheMethodAndOfTheInterface() {
    rejecting(Variables.class, "get").hasMessage("for method Variables.get(String): return type:"
        + " unsupported type R: type variable of method Variables.get cannot be resolved;"
        + " declare a concrete type");
    rejecting(Variables.class, "save").hasMessage("for method Variables.save(T): parameter 0:"
        + " unsupported type T: type variable of " + PREFIX + "Variables cannot be resolved;"
        + " declare a concrete type");
  }

  @Test
  void rejectsInterfacesAndAbstractClassesSayingWhy() {
    rejecting(Kinds.class, "task").hasMessageStartingWith("for method Kinds.task(Runnable):"
        + " parameter 0: unsupported type java.lang.Runnable: interfaces cannot be decoded");
    rejecting(Kinds.class, "iterable").hasMessageContaining(
        "unsupported type java.lang.Iterable<java.lang.String>: interfaces cannot be decoded");
    rejecting(Kinds.class, "number").hasMessage("for method Kinds.number(Number): parameter 0:"
        + " unsupported type java.lang.Number: abstract classes cannot be decoded; declare a"
        + " record, enum or other concrete type");
    rejecting(Kinds.class, "stream").hasMessageContaining(
        "unsupported type java.io.InputStream: abstract classes cannot be decoded");
    rejecting(Kinds.class, "rawStream").hasMessageContaining("raw type java.util.stream.Stream");
  }

  @Test
  void rejectsPlainClassesEvenWhenSerializable() {
    rejecting(Kinds.class, "thread").hasMessage("for method Kinds.thread(Thread): parameter 0:"
        + " unsupported type java.lang.Thread: only records, enums, primitives, String, arrays,"
        + " collections, Optional and a few JDK value types can be encoded; declare a record"
        + " instead");
    rejecting(Kinds.class, "legacy").hasMessageContaining("unsupported type " + PREFIX
        + "Legacy: only records").hasMessageEndingWith(
        "(it is Serializable, but Tether never uses Java serialization)");
  }

  @Test
  void rejectsConcreteCollectionsFuturesAndVoidParameters() {
    rejecting(Kinds.class, "concrete").hasMessageContaining("unsupported type"
        + " java.util.ArrayList<java.lang.String>: declare List, Collection, Set, SortedSet,"
        + " Map or SortedMap instead");
    rejecting(Kinds.class, "future").hasMessage("for method Kinds.future(CompletableFuture"
        + "<String>): parameter 0: unsupported type java.util.concurrent.CompletableFuture"
        + "<java.lang.String>: futures are only allowed as a method's return type");
    rejecting(Kinds.class, "nothing").hasMessageEndingWith(
        "unsupported type java.lang.Void: Void is only allowed as a method's return type");
  }

  @Test
  void rejectsUnsupportedTypesNestedInsideCollections() {
    rejecting(Kinds.class, "deep").hasMessage("for method Kinds.deep(Map<String, List<Object>>):"
        + " parameter 0: unsupported type java.lang.Object: declare a concrete type (record,"
        + " enum, String, collection...)");
  }

  @Test
  void rejectsRecordComponentsNamingTheRecordAndComponent() {
    rejecting(Records.class, "holder").hasMessage("for method Records.holder(Holder):"
        + " parameter 0: in record " + PREFIX + "Holder, component value: unsupported type"
        + " java.lang.Object: declare a concrete type (record, enum, String, collection...)");
    rejecting(Records.class, "outer").hasMessageStartingWith("for method Records.outer(Outer):"
        + " parameter 0: in record " + PREFIX + "Outer, component inners: in record " + PREFIX
        + "Inner, component owner: unsupported type java.lang.Thread");
  }

  @Test
  void rejectsRawGenericRecords() {
    rejecting(Records.class, "rawPair").hasMessage("for method Records.rawPair(Pair):"
        + " parameter 0: raw type " + PREFIX + "Pair: declare its type arguments,"
        + " e.g. Pair<String, ...>");
  }

  @Test
  void rejectsSortedCollectionsOfNonComparableElements() {
    rejecting(Records.class, "sorted").hasMessage("for method Records.sorted(SortedSet<Point>):"
        + " parameter 0: unsupported type java.util.SortedSet<" + PREFIX + "Point>: its"
        + " elements " + PREFIX + "Point are not Comparable, so they cannot be kept sorted;"
        + " declare a Comparable type or use Set/Map");
  }

  @Test
  void rejectsGenericRecordsThatExpandWithoutEnd() {
    rejecting(Records.class, "grow").hasMessage("for method Records.grow(Grow<String>):"
        + " parameter 0: in record " + PREFIX + "Grow, component next: unsupported type "
        + PREFIX + "Grow: more than 100 records nested in one type (a generic record whose"
        + " components expand it without end?)");
  }

  @Test
  void forTypeRejectsVoidAndObjectDirectly() {
    assertThatThrownBy(() -> Codecs.forType(void.class))
        .isInstanceOf(UnsupportedTypeException.class)
        .hasMessage("unsupported type void: void is only allowed as a method's return type");
    assertThatThrownBy(() -> Codecs.schemaOf(Object.class))
        .isInstanceOf(UnsupportedTypeException.class)
        .hasMessageStartingWith("unsupported type java.lang.Object:");
  }

  @Test
  void aRejectedTypeLeavesNoHalfBuiltCodecInTheCache() {
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> Codecs.forType(Holder.class))
          .isInstanceOf(UnsupportedTypeException.class)
          .hasMessageContaining("component value");
    }
    assertThatThrownBy(() -> Codecs.forType(new TypeRef<List<Holder>>() {}.type()))
        .isInstanceOf(UnsupportedTypeException.class);
    assertThat(Codecs.forType(new TypeRef<List<Point>>() {}.type())).isNotNull();
  }
}
