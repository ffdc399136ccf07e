/**
 * Time for every layer: the {@link dev.tether.internal.time.Clock} (monotonic time, wall time and
 * timers, replaceable by a fake in tests) and the immutable {@link dev.tether.internal.time.Deadline}.
 * The lowest layer: it imports nothing of Tether, and every layer may import it.
 */
package dev.tether.internal.time;
