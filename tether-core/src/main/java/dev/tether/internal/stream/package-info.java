/**
 * Byte streams of calls: {@code InputStream} parameters and results flow in STREAM_DATA frames
 * beside the connection's other frames, within credit the receiver grants (STREAM_CREDIT), and
 * either end can abandon one (STREAM_RESET). {@link dev.tether.internal.stream.StreamTable} is a
 * connection's registry; client and server add only hook lines. See docs/ARCHITECTURE.md.
 */
package dev.tether.internal.stream;
