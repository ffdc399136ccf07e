package dev.tether.internal.launch;

import dev.tether.WorkerHistory;
import java.util.List;

/** The {@link WorkerHistory} a worker was started with. Immutable. */
record FixedWorkerHistory(int incarnation, List<String> earlier) implements WorkerHistory {
  FixedWorkerHistory {
    earlier = List.copyOf(earlier);
  }
}
