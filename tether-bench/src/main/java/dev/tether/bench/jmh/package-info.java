/**
 * JMH microbenchmarks of Tether's internals: codec, framing and the pending-call table. Run them
 * with {@code java -cp tether-bench/target/tether-bench-all.jar dev.tether.bench.BenchMain jmh
 * [JMH options]}.
 */
package dev.tether.bench.jmh;
