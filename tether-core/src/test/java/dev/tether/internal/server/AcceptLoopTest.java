package dev.tether.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.fixtures.WriteOnlyLink;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.Listener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The accept loop outlives failed accepts, logs once per episode, and closes a dead listener. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AcceptLoopTest {

  /** A listener that plays a script: each entry is a link to hand out or a failure to throw. */
  static final class ScriptedListener implements Listener {
    final Deque<Object> script = new ArrayDeque<>();
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public synchronized Link accept() throws IOException {
      Object next = script.poll();
      if (next == null) {
        throw new IllegalStateException("script over"); // ends the loop as a broken listener
      }
      if (next instanceof IOException e) {
        throw e;
      }
      return (Link) next;
    }

    @Override
    public Endpoint endpoint() {
      return Endpoint.memory("scripted");
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  static final class RecordingSink implements AcceptLoop.Sink {
    final List<Link> accepted = new CopyOnWriteArrayList<>();
    final List<String> logs = new CopyOnWriteArrayList<>();
    /** What {@link #acceptHoldNanos} answers, in turn; 0 once empty. */
    final Deque<Long> holds = new ArrayDeque<>();
    /** How many links had been accepted each time the loop asked whether to hold. */
    final List<Integer> acceptedWhenAsked = new CopyOnWriteArrayList<>();
    int failures;
    Throwable broken;

    @Override
    public synchronized long acceptHoldNanos() {
      acceptedWhenAsked.add(accepted.size());
      Long next = holds.poll();
      return next == null ? 0 : next;
    }

    @Override
    public void accepted(Link link) {
      accepted.add(link);
    }

    @Override
    public synchronized void acceptFailed() {
      failures++;
    }

    @Override
    public void listenerBroken(Listener listener, Throwable why) {
      broken = why;
    }

    @Override
    public void log(System.Logger.Level level, String message) {
      logs.add(level + " " + message);
    }
  }

  static Link link(String name) {
    return new WriteOnlyLink(name) {
      @Override
      public void write(ByteBuffer src) {}
    };
  }

  @Test
  void failedAcceptsArePausedAndRetriedWithOneWarningAndOneRecoveryNote() {
    ScriptedListener listener = new ScriptedListener();
    IOException emfile = new IOException("Too many open files");
    listener.script.addAll(List.of(emfile, emfile, emfile, emfile, link("a"), emfile, link("b")));
    RecordingSink sink = new RecordingSink();

    new AcceptLoop(listener, () -> false, sink).run();

    assertThat(sink.accepted).extracting(Link::peer).containsExactly("a", "b");
    assertThat(sink.failures).isEqualTo(5);
    assertThat(sink.logs.stream().filter(l -> l.startsWith("WARNING"))).singleElement()
        .asString().contains("Too many open files").contains("retrying");
    assertThat(sink.logs.stream().filter(l -> l.startsWith("INFO"))).singleElement()
        .asString().contains("accepting again").contains("after 4 failed attempts");
    assertThat(sink.broken).as("the script's end").isInstanceOf(IllegalStateException.class);
    assertThat(listener.closed).isTrue();
  }

  @Test
  void whileConnectionsKeepFailingTheLoopHoldsOffAcceptingAndWarnsOnce() {
    ScriptedListener listener = new ScriptedListener();
    listener.script.addAll(List.of(link("a"), link("b")));
    RecordingSink sink = new RecordingSink();
    sink.holds.addAll(List.of(0L, 200_000L, 100_000L, 0L));

    new AcceptLoop(listener, () -> false, sink).run();

    assertThat(sink.accepted).extracting(Link::peer).containsExactly("a", "b");
    // asked before every accept and again before handing an accepted link on: "a" is accepted,
    // then held twice before it is handed on, then "b" at once
    assertThat(sink.acceptedWhenAsked).startsWith(0, 0, 0, 0, 1, 1, 2);
    assertThat(sink.logs.stream().filter(l -> l.startsWith("WARNING"))).singleElement()
        .asString().contains("slowing down accepting").contains("failedConnectionRate");
  }

  @Test
  void failuresCountedWhileAcceptWaitedHoldTheConnectionItReturns() {
    ScriptedListener listener = new ScriptedListener();
    listener.script.addAll(List.of(link("a")));
    RecordingSink sink = new RecordingSink();
    // nothing failed before accept() blocked; by the time it returns, connections had failed
    sink.holds.addAll(List.of(0L, 150_000L, 0L));

    new AcceptLoop(listener, () -> false, sink).run();

    assertThat(sink.accepted).extracting(Link::peer).containsExactly("a");
    assertThat(sink.acceptedWhenAsked).as("asked again before handing \"a\" on, and held")
        .startsWith(0, 0, 0, 1);
  }

  @Test
  void aListenerClosedUnderTheServerIsClosedAndReportedNotLeftBound() {
    ScriptedListener listener = new ScriptedListener();
    listener.script.add(new ClosedChannelException());
    RecordingSink sink = new RecordingSink();

    new AcceptLoop(listener, () -> false, sink).run();

    assertThat(sink.broken).isInstanceOf(ClosedChannelException.class);
    assertThat(listener.closed).isTrue();
    assertThat(sink.failures).isZero();
  }

  @Test
  void aStoppedServerEndsTheLoopWithoutReportingAnything() {
    ScriptedListener listener = new ScriptedListener();
    listener.script.add(new ClosedChannelException());
    RecordingSink sink = new RecordingSink();

    // the server stops while accept() is blocked: closing its listener makes accept() throw
    new AcceptLoop(listener, listener.script::isEmpty, sink).run();

    assertThat(sink.broken).isNull();
    assertThat(sink.logs).isEmpty();
  }
}
