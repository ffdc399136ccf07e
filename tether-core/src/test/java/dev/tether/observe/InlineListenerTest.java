package dev.tether.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallInfo;
import dev.tether.CallListener;
import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.observe.RecordingListener.Seen;
import dev.tether.testing.Await;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server listener no longer costs the server its inline path: fast calls still run on the
 * connection's reader, and their callbacks run afterwards on the notification thread, never on
 * the reader; a listener that needs its start before the method keeps calls on call threads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InlineListenerTest {
  /** Says which thread serves it. */
  public interface ThreadProbe {
    /** The name of the thread running this call. */
    String thread();
  }

  private static final int MAX_CALLS = 20_000;

  TetherServer server;
  Tether client;

  private ThreadProbe start(CallListener listener) {
    server = TetherServer.builder()
        .export("probe", ThreadProbe.class, () -> Thread.currentThread().getName())
        .callListener(listener)
        .start();
    client = Tether.connect(server.address());
    return client.get(ThreadProbe.class, "probe");
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Calls until one runs on a reader (the inline policy trusts fast methods); its count. */
  private static int callUntilInline(ThreadProbe probe) {
    for (int i = 1; i <= MAX_CALLS; i++) {
      if (probe.thread().contains("reader")) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void fastCallsOfAServerWithAListenerStillRunInlineOnTheReader() {
    ThreadProbe probe = start(new RecordingListener());
    assertThat(callUntilInline(probe)).as("a call ran inline within %d calls", MAX_CALLS)
        .isPositive();
  }

  @Test
  void callbacksOfInlineCallsRunAfterwardsInOrderOnceAndNeverOnTheReader() throws Exception {
    RecordingListener listener = new RecordingListener();
    ThreadProbe probe = start(listener);
    int calls = callUntilInline(probe);
    assertThat(calls).isPositive();
    for (int i = 0; i < 50; i++) {
      probe.thread();
      calls++;
    }
    int total = calls;
    Await.until(() -> listener.ends().size() >= total, total + " calls ended on the server");

    assertThat(listener.byCall).hasSize(total);
    assertThat(listener.byCall.values()).allSatisfy(
        seen -> assertThat(RecordingListener.order(seen)).containsExactly("started", "ended"));
    assertThat(listener.all).extracting(Seen::thread)
        .allSatisfy(t -> assertThat(t).doesNotContain("reader"));
    assertThat(listener.all).extracting(Seen::thread).as("the inline calls' callbacks")
        .contains("tether-call-listener");
    assertThat(listener.ends()).extracting(s -> s.call().durationNanos())
        .allSatisfy(d -> assertThat(d).isPositive());
    assertThat(server.stats().listenerNotificationsDropped()).isZero();
  }

  @Test
  void aListenerThatNeedsItsStartBeforeTheMethodKeepsCallsOnCallThreads() {
    Map<Integer, String> startedOn = new ConcurrentHashMap<>();
    CallListener tracer = new CallListener() {
      @Override
      public void started(CallInfo call) {
        startedOn.put(call.callId(), Thread.currentThread().getName());
      }

      @Override
      public boolean requiresStartBeforeMethod() {
        return true;
      }
    };
    ThreadProbe probe = start(tracer);
    List<String> servedOn = new java.util.ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      servedOn.add(probe.thread());
    }
    assertThat(servedOn).allSatisfy(t -> assertThat(t).doesNotContain("reader"));
    assertThat(startedOn.values()).allSatisfy(t -> assertThat(t).doesNotContain("reader"))
        .doesNotContain("tether-call-listener");
  }
}
