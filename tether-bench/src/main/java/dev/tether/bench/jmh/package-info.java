/**
 * JMH microbenchmarks of Tether's internals: codec, framing, the pending-call table and the JFR
 * events. Run them with {@code java -cp tether-bench/target/tether-bench-all.jar
 * dev.tether.bench.BenchMain jmh [JMH options]}.
 */
package dev.tether.bench.jmh;
