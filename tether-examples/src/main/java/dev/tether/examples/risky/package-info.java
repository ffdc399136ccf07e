/**
 * Hosting a risky library (native code, a legacy parser, anything that can hang or crash its
 * process) in a supervised worker JVM, with a timeout on every call. Copy {@link
 * dev.tether.examples.risky.SafeRenderer} and {@link dev.tether.examples.risky.RiskyLibraryExample};
 * {@link dev.tether.examples.risky.NativeRenderer} stands for the library.
 */
package dev.tether.examples.risky;
