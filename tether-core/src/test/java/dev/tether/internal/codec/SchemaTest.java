package dev.tether.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

class SchemaTest {

  /** Version 1 of some shared definitions. */
  static final class V1 {
    enum Color { RED, GREEN }

    record Point(int x, int y) {}

    record Shape(Point at, Color color) {}
  }

  /** Same shapes as V1, but a component and a constant are renamed. */
  static final class V2 {
    enum Color { RED, BLUE }

    record Point(int x, int z) {}

    record Shape(Point at, Color color) {}
  }

  /** Identical to V1 in a different place: the schema is structural, so it matches V1. */
  static final class Copy {
    enum Color { RED, GREEN }

    record Point(int x, int y) {}

    record Shape(Point at, Color color) {}
  }

  /** V1 with a component type changed and the constants reordered. */
  static final class Changed {
    enum Color { GREEN, RED }

    record Point(int x, long y) {}
  }

  record Node(String value, List<Node> kids) {}

  record Pair<A, B>(A first, B second) {}

  /** Builds the schema with a fresh factory and writer, bypassing every cache. */
  private static String uncachedSchema(Type type) {
    BaseCodec codec = new CodecFactory(t -> null).slot(Types.resolve(type, Map.of()));
    SchemaWriter w = new SchemaWriter();
    codec.describe(w);
    return w.toString();
  }

  @Test
  void scalarsArraysAndCollectionsHaveCompactNames() {
    assertThat(Codecs.schemaOf(int.class)).isEqualTo("int");
    assertThat(Codecs.schemaOf(Integer.class)).isEqualTo("Integer");
    assertThat(Codecs.schemaOf(byte[].class)).isEqualTo("byte[]");
    assertThat(Codecs.schemaOf(String[][].class)).isEqualTo("String[][]");
    assertThat(Codecs.schemaOf(new TypeRef<Map<String, List<Long>>>() {}.type()))
        .isEqualTo("Map<String,List<Long>>");
    assertThat(Codecs.schemaOf(new TypeRef<SortedMap<String, SortedSet<Integer>>>() {}.type()))
        .isEqualTo("SortedMap<String,SortedSet<Integer>>");
    assertThat(Codecs.schemaOf(new TypeRef<Optional<List<String>[]>>() {}.type()))
        .isEqualTo("Optional<List<String>[]>");
  }

  @Test
  void recordsListComponentsAndEnumsListConstants() {
    assertThat(Codecs.schemaOf(V1.Shape.class))
        .isEqualTo("Shape(at:Point(x:int,y:int),color:Color{RED,GREEN})");
  }

  @Test
  void recursiveAndRepeatedTypesUseBackReferences() {
    assertThat(Codecs.schemaOf(Node.class)).isEqualTo("Node(value:String,kids:List<#0>)");
    assertThat(Codecs.schemaOf(new TypeRef<Pair<V1.Color, V1.Color>>() {}.type()))
        .isEqualTo("Pair(first:Color{RED,GREEN},second:#1)");
    assertThat(Codecs.schemaOf(new TypeRef<Pair<Node, List<Node>>>() {}.type()))
        .isEqualTo("Pair(first:Node(value:String,kids:List<#1>),second:List<#1>)");
  }

  @Test
  void genericRecordsAreDescribedWithTheirResolvedComponents() {
    assertThat(Codecs.schemaOf(new TypeRef<Pair<String, int[]>>() {}.type()))
        .isEqualTo("Pair(first:String,second:int[])");
    assertThat(Codecs.schemaOf(new TypeRef<Pair<String, int[]>>() {}.type()))
        .isNotEqualTo(Codecs.schemaOf(new TypeRef<Pair<String, long[]>>() {}.type()));
  }

  @Test
  void schemaIsStableAcrossCallsAndIndependentBuilds() {
    for (Type t : Samples.richTypes()) {
      String first = Codecs.schemaOf(t);
      assertThat(Codecs.schemaOf(t)).isEqualTo(first);
      assertThat(uncachedSchema(t)).isEqualTo(first);
    }
  }

  @Test
  void schemaDiffersWhenARecordComponentIsRenamed() {
    assertThat(Codecs.schemaOf(V1.Point.class)).isNotEqualTo(Codecs.schemaOf(V2.Point.class));
    assertThat(Codecs.schemaOf(V1.Shape.class)).isNotEqualTo(Codecs.schemaOf(V2.Shape.class));
  }

  @Test
  void schemaDiffersWhenAnEnumConstantIsRenamedOrReordered() {
    assertThat(Codecs.schemaOf(V1.Color.class)).isNotEqualTo(Codecs.schemaOf(V2.Color.class));
    assertThat(Codecs.schemaOf(V1.Color.class))
        .isNotEqualTo(Codecs.schemaOf(Changed.Color.class));
  }

  @Test
  void schemaDiffersWhenAComponentTypeChanges() {
    assertThat(Codecs.schemaOf(V1.Point.class))
        .isNotEqualTo(Codecs.schemaOf(Changed.Point.class));
  }

  @Test
  void identicalDefinitionsInDifferentPlacesHaveTheSameSchema() {
    assertThat(Codecs.schemaOf(Copy.Shape.class)).isEqualTo(Codecs.schemaOf(V1.Shape.class));
  }
}
