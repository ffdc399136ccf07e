package dev.tether.bench.jmh;

import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.bench.BenchService;
import dev.tether.bench.BenchServiceImpl;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client's table of pending calls, the real code: a {@code PendingCall} is created,
 * registered in the {@code ClientConnection} and completed (which removes it), with {@code
 * resident} other calls pending meanwhile. The connection is a real one over Tether's in-process
 * {@code mem:} transport; nothing is sent. The internals are package-private, so they are reached
 * with method handles (allowed on the class path).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PendingTableBench {
  private static final AtomicInteger SERVERS = new AtomicInteger();
  /** A RESULT outcome (an {@code Outcome.Returned}), made once in {@link #setUp}. */
  private Object result;

  /** Calls pending in the table while the benchmark registers and completes others. */
  @Param({"0", "10000"})
  public int resident;

  private TetherServer server;
  private Tether tether;
  private Object connection;
  private MethodHandle newCall;
  private MethodHandle nextId;
  private MethodHandle register;
  private MethodHandle complete;

  /** Connects over {@code mem:} and fills the table with {@code resident} calls. */
  @Setup(Level.Trial)
  public void setUp() throws Throwable {
    String address = "mem:jmh-pending-" + SERVERS.incrementAndGet();
    server = TetherServer.builder().export("svc", BenchService.class, new BenchServiceImpl())
        .listen(address).start();
    tether = Tether.connect(address);
    Field f = Tether.class.getDeclaredField("core"); // the handle's ConnectionSource
    f.setAccessible(true);
    Object core = f.get(tether);
    connection = core.getClass().getMethod("current").invoke(core);
    Class<?> conn = connection.getClass();
    Class<?> call = Class.forName("dev.tether.internal.client.PendingCall");
    MethodHandles.Lookup l = MethodHandles.privateLookupIn(call, MethodHandles.lookup());
    // (connection, id, what: a MethodCodec or a String, caller thread)
    newCall = l.findConstructor(call,
        MethodType.methodType(void.class, conn, int.class, Object.class, Thread.class));
    MethodHandles.Lookup lc = MethodHandles.privateLookupIn(conn, MethodHandles.lookup());
    nextId = lc.findVirtual(conn, "nextId", MethodType.methodType(int.class));
    register = lc.findVirtual(conn, "register",
        MethodType.methodType(call, call)).asType(MethodType.methodType(Object.class,
        Object.class, Object.class));
    Class<?> outcome = Class.forName("dev.tether.internal.client.Outcome");
    Class<?> returned = Class.forName("dev.tether.internal.client.Outcome$Returned");
    result = MethodHandles.privateLookupIn(returned, MethodHandles.lookup())
        .findConstructor(returned, MethodType.methodType(void.class, byte[].class))
        .invoke(new byte[0]);
    complete = l.findVirtual(call, "complete", MethodType.methodType(boolean.class, outcome))
        .asType(MethodType.methodType(boolean.class, Object.class, Object.class));
    newCall = newCall.asType(MethodType.methodType(Object.class, Object.class, int.class,
        Object.class, Thread.class));
    nextId = nextId.asType(MethodType.methodType(int.class, Object.class));
    for (int i = 0; i < resident; i++) {
      Object c = newCall.invokeExact(connection, (int) nextId.invokeExact(connection),
          (Object) "resident", (Thread) null);
      Object ignored = register.invokeExact(connection, c);
    }
  }

  /** Registers a new call and completes it (completion removes it from the table). */
  @Benchmark
  public boolean registerAndComplete() throws Throwable {
    Object c = newCall.invokeExact(connection, (int) nextId.invokeExact(connection),
        (Object) "bench", (Thread) null);
    Object registered = register.invokeExact(connection, c);
    return (boolean) complete.invokeExact(registered, result);
  }

  /** The same from four threads at once. */
  @Benchmark
  @Threads(4)
  public boolean registerAndComplete4Threads() throws Throwable {
    return registerAndComplete();
  }

  /** Closes the connection (failing the resident calls) and the server. */
  @TearDown(Level.Trial)
  public void tearDown() {
    tether.close();
    server.close();
  }
}
