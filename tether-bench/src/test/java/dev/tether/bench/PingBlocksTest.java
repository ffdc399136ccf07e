package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The block design of {@link PingBlocks}, with fake pings and transfers (no sockets). */
class PingBlocksTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @Test
  void everyConditionGetsOneCountedBlockPerRoundInARotatingOrder() throws Exception {
    List<String> order = new ArrayList<>();
    PingBlocks.Condition a = new PingBlocks.Condition("a", () -> order.add("a"), null);
    PingBlocks.Condition b = new PingBlocks.Condition("b", () -> order.add("b"), null);
    PingBlocks.Condition c = new PingBlocks.Condition("c", () -> order.add("c"), null);

    Map<String, PingBlocks.Result> r = new PingBlocks(3, 2, 1, QUIET).run(List.of(a, b, c));

    assertThat(r.keySet()).containsExactly("a", "b", "c");
    for (PingBlocks.Result each : r.values()) {
      assertThat(each.blocks).hasSize(3);
      assertThat(each.pooled.count()).isEqualTo(6);
    }
    // each block: 1 settling ping, then 2 counted ones; the warm-up round first
    List<String> blocks = new ArrayList<>();
    for (int i = 0; i < order.size(); i += 3) {
      assertThat(order.subList(i, i + 3)).containsOnly(order.get(i));
      blocks.add(order.get(i));
    }
    assertThat(blocks).containsExactly("a", "b", "c", "a", "b", "c", "b", "c", "a", "c", "a", "b");
  }

  @Test
  void pingsBesideATransferRunOnlyWhileItFlowsAndItIsStoppedAfterEachBlock() throws Exception {
    AtomicLong live = new AtomicLong(); // transfers started and not yet closed
    AtomicLong started = new AtomicLong();
    AtomicLong pingsWithoutTransfer = new AtomicLong();
    PingBlocks.Transfer transfer = () -> {
      live.incrementAndGet();
      started.incrementAndGet();
      return new PingBlocks.Running() {
        @Override
        public long moved() {
          return PingBlocks.FLOWING + 1;
        }

        @Override
        public void close() {
          live.decrementAndGet();
        }
      };
    };
    PingBlocks.Condition beside = new PingBlocks.Condition("beside", () -> {
      if (live.get() != 1) {
        pingsWithoutTransfer.incrementAndGet();
      }
    }, transfer);
    PingBlocks.Condition alone = new PingBlocks.Condition("alone", () -> {
      if (live.get() != 0) {
        pingsWithoutTransfer.incrementAndGet(); // counted as wrong here too
      }
    }, null);

    new PingBlocks(4, 10, 2, QUIET).run(List.of(alone, beside));

    assertThat(pingsWithoutTransfer).hasValue(0);
    assertThat(started).hasValue(5); // one per round and the warm-up
    assertThat(live).hasValue(0);
  }

  @Test
  void roundRatiosDivideEachRoundsBlocksAndQuantilesInterpolate() {
    PingBlocks.Result over = new PingBlocks.Result();
    PingBlocks.Result under = new PingBlocks.Result();
    long[][] overBlocks = {{10, 20, 30, 400}, {10, 20, 30, 40}};
    long[][] underBlocks = {{1, 2, 3, 100}, {1, 2, 3, 4}};
    for (int i = 0; i < 2; i++) {
      over.blocks.add(histogram(overBlocks[i]));
      under.blocks.add(histogram(underBlocks[i]));
    }

    assertThat(PingBlocks.roundRatios(over, under, 99)).containsExactly(4.0, 10.0);
    assertThat(PingBlocks.roundRatios(over, under, 50)).containsExactly(10.0, 10.0);
    double[] v = {4, 1, 3, 2, 5};
    assertThat(PingBlocks.quantile(v, 0.5)).isEqualTo(3.0);
    assertThat(PingBlocks.quantile(v, 0.25)).isEqualTo(2.0);
    assertThat(PingBlocks.quantile(new double[] {1, 2}, 0.5)).isCloseTo(1.5, within(1e-9));
  }

  private static Histogram histogram(long... samples) {
    Histogram h = new Histogram();
    for (long s : samples) {
      h.add(s);
    }
    return h;
  }
}
