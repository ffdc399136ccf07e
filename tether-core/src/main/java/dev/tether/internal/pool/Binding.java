package dev.tether.internal.pool;

/** An exported object the pool's callers use: the interface and the export name. */
record Binding(Class<?> iface, String name) {}
