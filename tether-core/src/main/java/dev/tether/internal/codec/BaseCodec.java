package dev.tether.internal.codec;

/**
 * Superclass of every codec in this package: a {@link Codec} that can also describe its wire
 * shape for {@link Codecs#schemaOf}.
 *
 * <p>Subclasses other than {@link NullableCodec} and the primitive codecs encode a non-null value
 * without a presence byte; the factory wraps them in a {@link NullableCodec}.
 */
abstract class BaseCodec implements Codec<Object> {

  /** Appends this codec's schema text to {@code schema}. */
  abstract void describe(SchemaWriter schema);

  /** A codec whose schema text is a fixed name, such as {@code int} or {@code String}. */
  abstract static class Named extends BaseCodec {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    @Override
    final void describe(SchemaWriter schema) {
      schema.append(name);
    }
  }
}
