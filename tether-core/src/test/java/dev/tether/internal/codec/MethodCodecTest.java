package dev.tether.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class MethodCodecTest {

  enum Unit { CM, INCH }

  record Size(int width, int height, Unit unit) {
    Size {
      if (width < 0) {
        throw new IllegalArgumentException("negative width");
      }
    }
  }

  interface Shapes {
    int add(int a, int b);

    CompletableFuture<Integer> addAsync(int a, int b);

    Size scale(Size size, double factor, List<String> notes);

    void reset();

    Void clear();

    CompletableFuture<Void> flush();

    CompletionStage<Map<String, Size>> sizes();

    CompletableFuture<? extends Size> largest();

    String name();

    Size largestNow();
  }

  private static MethodCodec codec(String name) {
    for (Method m : Shapes.class.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        return MethodCodec.of(m);
      }
    }
    throw new AssertionError(name);
  }

  private static ByteReader readerOf(ByteWriter w) {
    return new ByteReader(w.array(), 0, w.size());
  }

  @Test
  void argumentsRoundTripWithPrimitivesBoxed() {
    MethodCodec scale = codec("scale");
    ByteWriter out = new ByteWriter(8);
    Object[] args = {new Size(3, 4, Unit.INCH), 2.5, Arrays.asList("a", null)};
    scale.encodeArgs(out, args);
    assertThat(scale.decodeArgs(readerOf(out))).containsExactly(args);
    assertThat(scale.method().getName()).isEqualTo("scale");
  }

  @Test
  void argumentsOfAddAreTwoFixedWidthInts() {
    ByteWriter out = new ByteWriter(8);
    codec("add").encodeArgs(out, new Object[] {1, -1});
    assertThat(Arrays.copyOf(out.array(), out.size()))
        .containsExactly(0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF);
  }

  @Test
  void noArgumentMethodsWriteNothingAndShareTheEmptyArray() {
    MethodCodec reset = codec("reset");
    ByteWriter out = new ByteWriter(8);
    reset.encodeArgs(out, null);
    reset.encodeArgs(out, new Object[0]);
    assertThat(out.size()).isZero();
    Object[] first = reset.decodeArgs(readerOf(out));
    assertThat(first).isEmpty();
    assertThat(reset.decodeArgs(readerOf(out))).isSameAs(first);
  }

  @Test
  void wrongArgumentCountIsAnIllegalArgument() {
    assertThatThrownBy(() -> codec("add").encodeArgs(new ByteWriter(8), new Object[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Shapes.add(int, int) takes 2 argument(s), got 1");
  }

  @Test
  void decodingMustConsumeExactlyTheArgumentAndResultBytes() {
    ByteWriter out = new ByteWriter(8);
    codec("add").encodeArgs(out, new Object[] {1, 2});
    out.writeByte(0);
    assertThatThrownBy(() -> codec("add").decodeArgs(readerOf(out)))
        .isInstanceOf(DecodeException.class)
        .hasMessage("1 unexpected byte(s) after the arguments of Shapes.add(int, int)");
    assertThatThrownBy(() -> codec("reset").decodeResult(new ByteReader(new byte[1], 0, 1)))
        .isInstanceOf(DecodeException.class).hasMessageContaining("after the result");
  }

  @Test
  void resultsRoundTripAndPrimitiveResultsComeBackBoxed() {
    MethodCodec add = codec("add");
    ByteWriter out = new ByteWriter(8);
    add.encodeResult(out, 42);
    assertThat(add.decodeResult(readerOf(out))).isEqualTo(42);
    MethodCodec sizes = codec("sizes");
    out.reset();
    sizes.encodeResult(out, Map.of("a", new Size(1, 2, Unit.CM)));
    assertThat(sizes.decodeResult(readerOf(out))).isEqualTo(Map.of("a", new Size(1, 2, Unit.CM)));
  }

  @Test
  void voidMethodsWriteNoResultAndDecodeNull() {
    for (String name : List.of("reset", "clear", "flush")) {
      MethodCodec m = codec(name);
      ByteWriter out = new ByteWriter(8);
      m.encodeResult(out, null);
      assertThat(out.size()).as(name).isZero();
      assertThat(m.decodeResult(readerOf(out))).as(name).isNull();
      assertThat(m.isVoid()).as(name).isTrue();
    }
    assertThat(codec("reset").resultType()).isEqualTo(void.class);
    assertThat(codec("flush").resultType()).isEqualTo(Void.class);
    assertThat(codec("name").isVoid()).isFalse();
  }

  @Test
  void futuresAreAsyncWithTheResultCodecOfTheirValueType() {
    assertThat(codec("flush").isAsync()).isTrue();
    assertThat(codec("sizes").isAsync()).isTrue();
    assertThat(codec("sizes").resultType().getTypeName())
        .isEqualTo("java.util.Map<java.lang.String, " + Size.class.getTypeName() + ">");
    assertThat(codec("largest").resultType()).isEqualTo(Size.class);
    assertThat(codec("add").isAsync()).isFalse();
    assertThat(codec("add").resultType()).isEqualTo(int.class);
  }

  @Test
  void signaturesNameTheMethodParameterSchemasAndResultSchema() {
    // results travel nullable: a primitive result has its box's signature, so "int add" and
    // "CompletableFuture<Integer> add" are the same method on the wire
    assertThat(codec("add").signature()).isEqualTo("add(int,int)Integer");
    assertThat(codec("addAsync").signature()).isEqualTo("addAsync(int,int)Integer");
    assertThat(codec("reset").signature()).isEqualTo("reset()void");
    assertThat(codec("flush").signature()).isEqualTo("flush()void");
    assertThat(codec("scale").signature()).isEqualTo(
        "scale(Size(width:int,height:int,unit:Unit{CM,INCH}),double,List<String>)"
            + "Size(width:int,height:int,unit:Unit{CM,INCH})");
    assertThat(codec("largest").signature()).endsWith(")Size(width:int,height:int,unit:Unit{CM,INCH})");
    assertThat(codec("scale").signature()).isEqualTo(codec("scale").signature());
  }

  @Test
  void aSyncMethodAndItsAsyncVariantShareTheResultSchema() {
    String sync = codec("largestNow").signature();
    String async = codec("largest").signature();
    assertThat(sync.substring(sync.indexOf('('))).isEqualTo(async.substring(async.indexOf('(')));
  }

  @Test
  void constructorFailuresWhileDecodingArgumentsAreDecodeExceptions() {
    ByteWriter out = new ByteWriter(8);
    out.writeByte(1);
    out.writeInt(-1);
    out.writeInt(1);
    out.writeByte(1);
    out.writeByte(0);
    out.writeDouble(1);
    out.writeByte(0);
    assertThatThrownBy(() -> codec("scale").decodeArgs(readerOf(out)))
        .isInstanceOf(DecodeException.class).hasMessageContaining("negative width");
  }

  @Test
  void garbageArgumentsAndResultsOnlyEverThrowDecodeException() {
    MethodCodec scale = codec("scale");
    MethodCodec sizes = codec("sizes");
    Random random = new Random(5);
    for (int i = 0; i < 5000; i++) {
      byte[] garbage = new byte[random.nextInt(40)];
      random.nextBytes(garbage);
      for (MethodCodec m : List.of(scale, sizes)) {
        try {
          m.decodeArgs(new ByteReader(garbage, 0, garbage.length));
          m.decodeResult(new ByteReader(garbage, 0, garbage.length));
        } catch (DecodeException expected) {
          // the only acceptable failure
        }
      }
    }
  }
}
