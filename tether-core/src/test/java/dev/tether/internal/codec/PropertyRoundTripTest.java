package dev.tether.internal.codec;

import static dev.tether.internal.codec.CodecTesting.decode;
import static dev.tether.internal.codec.CodecTesting.deepEquals;
import static dev.tether.internal.codec.CodecTesting.encode;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Round-trips thousands of seeded random values of rich nested types. */
class PropertyRoundTripTest {

  private static final int VALUES_PER_TYPE = 3000;

  static Stream<Type> richTypes() {
    return Samples.richTypes().stream();
  }

  @ParameterizedTest
  @MethodSource("richTypes")
  void randomValuesRoundTripDeeplyEqual(Type type) {
    RandomValues random = new RandomValues(type.getTypeName().hashCode());
    for (int i = 0; i < VALUES_PER_TYPE; i++) {
      Object value = random.next(type);
      Object back = decode(type, encode(type, value));
      assertThat(deepEquals(value, back)).as("value %d: %s came back as %s", i, value, back)
          .isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("richTypes")
  void reEncodingADecodedValueGivesTheSameBytes(Type type) {
    RandomValues random = new RandomValues(~type.getTypeName().hashCode());
    for (int i = 0; i < VALUES_PER_TYPE; i++) {
      byte[] bytes = encode(type, random.next(type));
      assertThat(encode(type, decode(type, bytes))).as("value %d", i).isEqualTo(bytes);
    }
  }
}
