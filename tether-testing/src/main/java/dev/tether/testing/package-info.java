/**
 * Test code that calls Tether objects without launching processes or opening sockets. Start with
 * {@link dev.tether.testing.TetherExtension} (JUnit 5) or {@link dev.tether.testing.InProcessServer}
 * (any test framework), and wrap an implementation in {@link dev.tether.testing.Faults} to make
 * its methods slow, hung or failing on cue.
 */
package dev.tether.testing;
