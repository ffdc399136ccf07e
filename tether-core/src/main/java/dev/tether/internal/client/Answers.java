package dev.tether.internal.client;

import dev.tether.ErrorCode;
import dev.tether.TetherException;
import dev.tether.internal.codec.ByteReader;
import dev.tether.internal.codec.DecodeException;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.wire.FrameKind;

/** Turns a call's outcome into what the proxy method returns or throws. */
final class Answers {
  private Answers() {}

  /** The decoded return value, or throws what the outcome says. */
  static Object unpack(Outcome outcome, MethodCodec codec, ClientConnection connection)
      throws Throwable {
    return switch (outcome) {
      case Outcome.Returned r -> decode(r.body(), codec, connection);
      case Outcome.Error e -> throw RemoteErrors.forCall(e.error(), codec.method());
      case Outcome.Cancelled c -> throw c.toException();
      case Outcome.Failed f -> throw f.cause();
      case Outcome.Resolved r -> throw new TetherException(ErrorCode.PROTOCOL_ERROR,
          "unexpected answer to " + describe(codec) + ": " + r);
    };
  }

  private static Object decode(byte[] body, MethodCodec codec, ClientConnection connection) {
    Object value;
    try {
      value = codec.decodeResult(
          new ByteReader(body, FrameKind.HEADER_BYTES, body.length - FrameKind.HEADER_BYTES));
    } catch (DecodeException e) {
      if (e.isOverBudget()) { // well-formed, just too big to hold: the connection stays usable
        throw new TetherException(ErrorCode.RESOURCE_EXHAUSTED, "the result of "
            + describe(codec) + " is refused: " + e.getMessage(), e);
      }
      String msg = "undecodable result of " + describe(codec) + ": " + e.getMessage();
      connection.protocolError(msg, e);
      throw new TetherException(ErrorCode.PROTOCOL_ERROR, msg, e);
    }
    if (value == MethodCodec.STREAM) {
      int callId = ((body[2] & 0xff) << 24) | ((body[3] & 0xff) << 16) | ((body[4] & 0xff) << 8)
          | (body[5] & 0xff);
      return StreamCalls.receiveResult(connection, callId, codec);
    }
    if (value == null && !codec.isVoid() && codec.method().getReturnType().isPrimitive()) {
      throw new TetherException(ErrorCode.INCOMPATIBLE, "the server answered null to "
          + describe(codec) + ", which returns " + codec.method().getReturnType());
    }
    return value;
  }

  /** "Iface.method" for messages. */
  static String describe(MethodCodec codec) {
    return codec.method().getDeclaringClass().getSimpleName() + "." + codec.method().getName();
  }
}
