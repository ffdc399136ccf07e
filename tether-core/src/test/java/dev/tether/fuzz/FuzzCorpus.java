package dev.tether.fuzz;

import dev.tether.ErrorCode;
import dev.tether.fuzz.FuzzService.Kind;
import dev.tether.fuzz.FuzzService.Node;
import dev.tether.fuzz.FuzzService.Stamp;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Generates the seed corpus of the fuzz targets: valid frames and encodings built with the real
 * encoders, so fuzzing starts from realistic inputs. The files are checked in under
 * {@code src/test/resources/dev/tether/fuzz/<Target>Inputs/<method>/}, where Jazzer's JUnit
 * integration finds them (and runs them in every build); {@link FuzzCorpusTest} fails when they
 * differ from what this class generates. Regenerate after a wire or codec change, from the
 * repository root, after {@code ./mvnw -q -B -pl tether-core test-compile}:
 * {@code java -cp tether-core/target/classes:tether-core/target/test-classes
 * dev.tether.fuzz.FuzzCorpus tether-core/src/test/resources}.
 */
public final class FuzzCorpus {
  /** Where the corpus lives below a resources root. */
  static final String ROOT = "dev/tether/fuzz/";

  private FuzzCorpus() {}

  /** Writes every corpus file below {@code args[0]} (a test resources directory). */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "tether-core/src/test/resources");
    for (Map.Entry<String, byte[]> e : files().entrySet()) {
      Path p = root.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
    System.out.println(files().size() + " corpus files written below " + root);
  }

  /** Path below a resources root to content, in a stable order. */
  static Map<String, byte[]> files() {
    Map<String, byte[]> files = new TreeMap<>();
    frameReaderInputs().forEach((k, v) ->
        files.put(ROOT + "FrameReaderFuzzTestInputs/frames/" + k, v));
    codecInputs().forEach((k, v) -> files.put(ROOT + "CodecFuzzTestInputs/decode/" + k, v));
    connectionInputs().forEach((k, v) ->
        files.put(ROOT + "ServerConnectionFuzzTestInputs/connection/" + k, v));
    return files;
  }

  // --- sample values -----------------------------------------------------------------------

  private static final InterfaceSchema SCHEMA = CodecFuzzTest.SCHEMA;

  static Node sampleNode() {
    Node leaf = new Node("leaf", Kind.LEAF, new long[] {1, -2, Long.MAX_VALUE}, List.of(),
        Map.of());
    Map<String, Node> links = new LinkedHashMap<>();
    links.put("to-leaf", leaf);
    links.put("nothing", null);
    return new Node("root \u00e9\u4e2d\ud83d\ude00", Kind.BRANCH, new long[0],
        Arrays.asList(leaf, null, new Node(null, null, null, null, null)), links);
  }

  static Stamp sampleStamp() {
    return new Stamp(new UUID(0x1234_5678_9abc_def0L, -1L), Instant.ofEpochSecond(1_700_000_000L, 5),
        Duration.ofMillis(1500), new BigDecimal("-12345678901234567890.000123"),
        Optional.of("label"));
  }

  /** Arguments for each method, by name. */
  static Object[] sampleArgs(String method) {
    return switch (method) {
      case "echo" -> new Object[] {42};
      case "count" -> new Object[] {Arrays.asList(List.of("a", "bb"), List.of(), null,
          Arrays.asList("x", null))};
      case "echoNode" -> new Object[] {sampleNode()};
      case "index" -> {
        Map<String, List<int[]>> m = new LinkedHashMap<>();
        m.put("one", List.of(new int[] {1, 2, 3}, new int[0]));
        m.put("none", null);
        yield new Object[] {m, Set.of(new UUID(1, 2))};
      }
      case "describe" -> new Object[] {new String[] {"a", null, ""}, Optional.of(", "),
          new char[] {'x', '\u00ff'}, new byte[] {0, -1, 127}};
      case "stamps" -> new Object[] {List.of(sampleStamp(), new Stamp(null, null, null, null,
          Optional.empty())), new double[] {0.5, Double.NaN, -0.0}, true};
      default -> throw new IllegalArgumentException(method);
    };
  }

  /** The result each method's implementation returns for its sample arguments. */
  static Object sampleResult(MethodCodec codec) {
    Object[] args = sampleArgs(codec.method().getName());
    try {
      return codec.method().invoke(new FuzzServiceImpl(), args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- per target --------------------------------------------------------------------------

  private static Map<String, byte[]> codecInputs() {
    Map<String, byte[]> m = new TreeMap<>();
    for (int i = 0; i < SCHEMA.size(); i++) {
      MethodCodec c = SCHEMA.method(i);
      String name = c.method().getName();
      m.put(name + "-args", withSelector(CodecFuzzTest.selector(i, false),
          CodecFuzzTest.encode(c, false, sampleArgs(name))));
      m.put(name + "-result", withSelector(CodecFuzzTest.selector(i, true),
          CodecFuzzTest.encode(c, true, sampleResult(c))));
    }
    return m;
  }

  private static Map<String, byte[]> frameReaderInputs() {
    Map<String, byte[]> m = new TreeMap<>();
    m.put("hello", frame(w -> Frames.hello(w, FrameKind.VERSION, 1 << 20, "fuzz corpus")));
    m.put("resolve", resolveFrame(1));
    m.put("resolved", frame(w -> Frames.resolved(w, 1, 0)));
    m.put("call", callFrame(2, "echoNode", -1));
    m.put("call-deadline", callFrame(3, "echo", 1_000_000_000L));
    m.put("result", frame(w -> {
      Frames.beginResult(w, 2);
      SCHEMA.method(index("echoNode")).encodeResult(w, sampleNode());
      Frames.end(w, Integer.MAX_VALUE);
    }));
    m.put("error", frame(w -> Frames.error(w, 4, ErrorCode.values()[0], "it failed", null,
        Integer.MAX_VALUE)));
    m.put("cancel", frame(w -> Frames.cancel(w, 5, true, true, 2_000_000L)));
    m.put("cancel-ack", frame(w -> Frames.cancelAck(w, 5, "stopped", true)));
    m.put("ping", frame(w -> Frames.ping(w, false, 7)));
    m.put("pong", frame(w -> Frames.ping(w, true, 7)));
    m.put("goaway", frame(w -> Frames.goAway(w, ErrorCode.values()[0], "bye")));
    m.put("session", concat(m.get("hello"), m.get("resolve"), m.get("call"), m.get("cancel"),
        m.get("ping")));
    return m;
  }

  private static Map<String, byte[]> connectionInputs() {
    Map<String, byte[]> m = new TreeMap<>();
    byte[] resolve = resolveFrame(1);
    m.put("resolve", resolve);
    int id = 2;
    for (int i = 0; i < SCHEMA.size(); i++) {
      String name = SCHEMA.method(i).method().getName();
      m.put("call-" + name, concat(resolve, callFrame(id++, name, -1)));
    }
    m.put("call-deadline-then-cancel", concat(resolve, callFrame(id, "echo", 1_000_000L),
        frame(w -> Frames.cancel(w, 99, false, false, 0))));
    m.put("calls-and-ping", concat(resolve, callFrame(10, "count", -1),
        callFrame(11, "stamps", 5_000_000_000L), frame(w -> Frames.ping(w, false, 1))));
    m.put("unknown-object", frame(w -> Frames.resolve(w, 1, "nobody",
        FuzzService.class.getName(), SCHEMA.signatures(), Integer.MAX_VALUE)));
    return m;
  }

  // --- frame building ----------------------------------------------------------------------

  private static int index(String method) {
    for (int i = 0; i < SCHEMA.size(); i++) {
      if (SCHEMA.method(i).method().getName().equals(method)) {
        return i;
      }
    }
    throw new IllegalArgumentException(method);
  }

  private static byte[] resolveFrame(int callId) {
    return frame(w -> Frames.resolve(w, callId, "fuzz", FuzzService.class.getName(),
        SCHEMA.signatures(), Integer.MAX_VALUE));
  }

  /** A CALL on binding 0 (the first RESOLVE of a connection). */
  private static byte[] callFrame(int callId, String method, long deadlineNanos) {
    int i = index(method);
    return frame(w -> {
      Frames.beginCall(w, callId, 0, i, deadlineNanos);
      SCHEMA.method(i).encodeArgs(w, sampleArgs(method));
      Frames.end(w, Integer.MAX_VALUE);
    });
  }

  private static byte[] frame(Consumer<ByteWriter> build) {
    ByteWriter w = new ByteWriter(64);
    build.accept(w);
    return Arrays.copyOf(w.array(), w.size());
  }

  private static byte[] withSelector(byte selector, byte[] rest) {
    return concat(new byte[] {selector}, rest);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
