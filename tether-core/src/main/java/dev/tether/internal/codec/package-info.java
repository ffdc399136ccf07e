/**
 * The typed binary codec: encodes method arguments and results in a compact big-endian format
 * driven by the Java generic signatures of remote interfaces, never by Java serialization.
 *
 * <p>{@link dev.tether.internal.codec.Codecs} builds and caches the codec of a type,
 * {@link dev.tether.internal.codec.MethodCodec} bundles those of one method, and
 * {@link dev.tether.internal.codec.ByteWriter} and {@link dev.tether.internal.codec.ByteReader}
 * carry the bytes. Codecs are built once with method handles, so encoding and decoding use no
 * reflection. Decoding hostile bytes only ever throws
 * {@link dev.tether.internal.codec.DecodeException}.
 */
package dev.tether.internal.codec;
