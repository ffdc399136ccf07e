package dev.tether.bench.jmh;

import dev.tether.bench.Payload;
import dev.tether.internal.codec.ByteReader;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.Codec;
import dev.tether.internal.codec.Codecs;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tether's codec, per type: encoding into a reused {@link ByteWriter} and decoding from a
 * {@link ByteReader}, for an int, a String, the 1 KiB record of {@code rtt_record}, and a
 * {@code List<Map<String, Integer>>} of 10 maps of 10 entries.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBench {
  /** Holds the generic type of the list-of-maps value. */
  static List<Map<String, Integer>> listOfMapsTypeHolder;

  /** Which value to encode. */
  @Param({"int", "string", "record", "listOfMaps"})
  public String type;

  private Codec<Object> codec;
  private Object value;
  private ByteWriter writer;
  private byte[] encoded;
  private ByteReader reader;

  /** Builds the codec and one encoding to decode. */
  @Setup
  public void setUp() throws NoSuchFieldException {
    Type t;
    switch (type) {
      case "int" -> {
        t = int.class;
        value = 123_456;
      }
      case "string" -> {
        t = String.class;
        value = "the quick brown fox jumps over the lazy dog";
      }
      case "record" -> {
        t = Payload.class;
        value = Payload.sample();
      }
      case "listOfMaps" -> {
        t = CodecBench.class.getDeclaredField("listOfMapsTypeHolder").getGenericType();
        List<Map<String, Integer>> list = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          Map<String, Integer> m = new LinkedHashMap<>();
          for (int j = 0; j < 10; j++) {
            m.put("key-" + j, i * 10 + j);
          }
          list.add(m);
        }
        value = list;
      }
      default -> throw new IllegalArgumentException(type);
    }
    codec = Codecs.forType(t);
    writer = new ByteWriter(4096);
    codec.encode(writer, value);
    encoded = java.util.Arrays.copyOf(writer.array(), writer.size());
    reader = new ByteReader(encoded, 0, encoded.length);
  }

  /** Encodes the value; returns the encoded length. */
  @Benchmark
  public int encode() {
    writer.reset();
    codec.encode(writer, value);
    return writer.size();
  }

  /** Decodes the value. */
  @Benchmark
  public Object decode() {
    reader.reset(encoded, 0, encoded.length);
    return codec.decode(reader);
  }
}
