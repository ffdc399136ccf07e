package dev.tether.internal.wire;

/**
 * Message kinds, flags and layout constants of the Tether wire protocol. The numbers are fixed:
 * never renumber, only add.
 *
 * <p>Every frame is {@code int32 length | u8 kind | u8 flags | int32 callId | payload}, big-endian,
 * where {@code length} counts the bytes after itself. See docs/ARCHITECTURE.md for each payload.
 */
public final class FrameKind {
  /** First frame each way: magic, protocol version, limits. */
  public static final int HELLO = 1;
  /** Client asks for an exported object by name and interface; answered by RESOLVED or ERROR. */
  public static final int RESOLVE = 2;
  /** Server accepts a RESOLVE: the binding id that CALL frames use. */
  public static final int RESOLVED = 3;
  /** A method call. */
  public static final int CALL = 4;
  /** A call's return value. */
  public static final int RESULT = 5;
  /** A call failed (remote exception or runtime error). */
  public static final int ERROR = 6;
  /** The caller asks the server to cancel a call. */
  public static final int CANCEL = 7;
  /** The server stopped a call because of a cancel; final answer of that call. */
  public static final int CANCEL_ACK = 8;
  /** Liveness probe; answered by PONG with the same payload. */
  public static final int PING = 9;
  /** Answer to PING. */
  public static final int PONG = 10;
  /** The sender will start no new calls and is about to close, with a code and reason. */
  public static final int GOAWAY = 11;
  /**
   * One step of the shared-secret handshake (the step is in the flags, see
   * {@link SecretProof}); only before the handshake completes.
   */
  public static final int AUTH = 12;
  /**
   * A chunk of a byte stream of a call ({@code callId}): varint slot (0: the result, i + 1:
   * parameter i), then the bytes to the end of the frame; {@link #FLAG_STREAM_END} on the last.
   * Only within the credit the receiver granted (see {@code internal.stream}).
   */
  public static final int STREAM_DATA = 13;
  /** The receiver of a stream grants more bytes: varint slot, varint bytes. */
  public static final int STREAM_CREDIT = 14;
  /**
   * Either end abandons a stream: varint slot, then an error payload (code, message, chain). From
   * the sender: the data stops here, and the reader gets the error; from the receiver: stop sending.
   */
  public static final int STREAM_RESET = 15;

  /** STREAM_DATA flag: the last chunk of the stream (it may be empty). */
  public static final int FLAG_STREAM_END = 1;
  /** RESULT flag: the value is a byte stream that follows in STREAM_DATA frames (slot 0). */
  public static final int FLAG_RESULT_STREAM = 1;
  /** CALL flag: a deadline (remaining nanoseconds) follows the method index. */
  public static final int FLAG_DEADLINE = 1;
  /** CALL flag: call metadata (varint n, n x (string key, string value)) follows the deadline. */
  public static final int FLAG_METADATA = 2;
  /** CANCEL_ACK flag: the server stopped because the call's deadline passed. */
  public static final int FLAG_ACK_DEADLINE = 1;
  /** CANCEL flag: the caller has already been released and will discard the answer. */
  public static final int FLAG_CALLER_RELEASED = 1;
  /**
   * CANCEL flag: the reason is the caller's deadline; the server treats the cancel as its own
   * deadline passing (so the method, and nested calls, see a deadline, not a plain cancel).
   */
  public static final int FLAG_CANCEL_DEADLINE = 2;

  /**
   * HELLO flag: the sender authenticates with a shared secret; an AUTH frame follows (from the
   * client: its key id and nonce; from the server: its nonce).
   */
  public static final int FLAG_HELLO_SECRET = 1;
  /** AUTH step 1 (steps go in the flags): the client's key id and nonce. */
  public static final int AUTH_CLIENT_NONCE = 1;
  /** AUTH step 2: the server's nonce. */
  public static final int AUTH_SERVER_NONCE = 2;
  /** AUTH step 3: the client's proof. */
  public static final int AUTH_CLIENT_PROOF = 3;
  /** AUTH step 4: the server's proof; the handshake is complete. */
  public static final int AUTH_SERVER_PROOF = 4;
  /**
   * ERROR flag: the server refused the call before dispatching it (busy, rejected, or out of
   * capacity): the method never started. A varlong retry-after hint in nanoseconds (0: none)
   * follows the error payload. Peers that ignore the flag still read a plain error.
   */
  public static final int FLAG_REFUSED = 1;

  /** Bytes of the length field. */
  public static final int LENGTH_BYTES = 4;
  /** Bytes of kind, flags and call id that follow the length field. */
  public static final int HEADER_BYTES = 6;

  /** "TETH": the first four payload bytes of HELLO. */
  public static final int MAGIC = 0x54455448;
  /** The protocol version this build speaks. */
  public static final int VERSION = 1;
  /** The oldest protocol version this build accepts. */
  public static final int MIN_VERSION = 1;
  /** Default limit on a frame's length. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;

  /**
   * Largest frame either side accepts before the handshake completes (the peer's HELLO, or a
   * GOAWAY): a peer that has not said HELLO costs a receiver at most this, not a 16 MiB body.
   */
  public static final int MAX_HANDSHAKE_FRAME_BYTES = 4096;

  /** Longest peer description sent in HELLO, in characters, so HELLO always fits the above. */
  public static final int MAX_DESCRIPTION_CHARS = 512;

  private FrameKind() {}

  /** Name of a kind, for messages. */
  public static String name(int kind) {
    return switch (kind) {
      case HELLO -> "HELLO";
      case RESOLVE -> "RESOLVE";
      case RESOLVED -> "RESOLVED";
      case CALL -> "CALL";
      case RESULT -> "RESULT";
      case ERROR -> "ERROR";
      case CANCEL -> "CANCEL";
      case CANCEL_ACK -> "CANCEL_ACK";
      case PING -> "PING";
      case PONG -> "PONG";
      case GOAWAY -> "GOAWAY";
      case AUTH -> "AUTH";
      case STREAM_DATA -> "STREAM_DATA";
      case STREAM_CREDIT -> "STREAM_CREDIT";
      case STREAM_RESET -> "STREAM_RESET";
      default -> "kind " + kind;
    };
  }
}
