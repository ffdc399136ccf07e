/**
 * The top internal layer: the handles behind {@code Tether}. {@link
 * dev.tether.internal.supervise.Supervisor} owns a launched worker and replaces it when it
 * crashes, hangs or stops answering pings; {@link dev.tether.internal.supervise.ServerHandle} is
 * the plain handle of {@code Tether.connect}. Both are the {@code ConnectionSource} of their
 * proxies.
 */
package dev.tether.internal.supervise;
