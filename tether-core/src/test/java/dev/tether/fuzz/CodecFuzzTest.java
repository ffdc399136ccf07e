package dev.tether.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tether.internal.codec.ByteReader;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.DecodeException;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.internal.codec.MethodCodec;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the codec: arbitrary bytes decoded as the arguments or the result of
 * a {@link FuzzService} method either decode or throw {@link DecodeException}, nothing else (any
 * other exception or error fails the target). What decodes encodes again, and that encoding is a
 * fixed point: decoding and encoding it once more gives the same bytes.
 *
 * <p>Input layout: byte 0 picks the method (low 7 bits, modulo the method count) and whether the
 * rest is its arguments (high bit clear) or its result (high bit set). Corpus:
 * {@code CodecFuzzTestInputs}, written by {@link FuzzCorpus}.
 */
class CodecFuzzTest {
  static final InterfaceSchema SCHEMA = InterfaceSchema.of(FuzzService.class);

  @FuzzTest
  void decode(byte[] input) {
    if (input.length == 0) {
      return;
    }
    MethodCodec codec = SCHEMA.method((input[0] & 0x7f) % SCHEMA.size());
    boolean result = (input[0] & 0x80) != 0;
    Object decoded;
    try {
      decoded = decode(codec, result, input, 1, input.length - 1);
    } catch (DecodeException rejected) {
      return;
    }
    byte[] once = encode(codec, result, decoded);
    byte[] twice = encode(codec, result, decode(codec, result, once, 0, once.length));
    assertThat(twice).as("re-encoding of %s", codec).isEqualTo(once);
  }

  /** Input byte 0 for {@code method}'s arguments, or its result. */
  static byte selector(int method, boolean result) {
    return (byte) (method | (result ? 0x80 : 0));
  }

  static Object decode(MethodCodec codec, boolean result, byte[] bytes, int off, int len) {
    ByteReader in = new ByteReader(bytes, off, len);
    return result ? codec.decodeResult(in) : codec.decodeArgs(in);
  }

  static byte[] encode(MethodCodec codec, boolean result, Object value) {
    ByteWriter out = new ByteWriter(64);
    if (result) {
      codec.encodeResult(out, value);
    } else {
      codec.encodeArgs(out, (Object[]) value);
    }
    return Arrays.copyOf(out.array(), out.size());
  }
}
