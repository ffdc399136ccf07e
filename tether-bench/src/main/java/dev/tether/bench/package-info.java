/**
 * {@code ./tether bench}: Tether side by side with Java RMI, gRPC-java, Eclipse LSP4J JSON-RPC and
 * raw socket ping-pong, each server in its own JVM. {@link dev.tether.bench.BenchMain} is the entry
 * point; each system is one {@link dev.tether.bench.SystemBench}; {@link dev.tether.bench.Measure}
 * holds the shared measurement loops and {@link dev.tether.bench.Table} prints the results.
 */
package dev.tether.bench;
