package dev.tether.otel;

import dev.tether.CallListener;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;

/**
 * OpenTelemetry for Tether: {@link CallListener}s that make a span and a duration measurement of
 * every call, following the OpenTelemetry RPC semantic conventions, and carry W3C trace context
 * across processes in the call metadata ({@code traceparent}, {@code tracestate}).
 *
 * <pre>{@code
 * TetherTelemetry telemetry = TetherTelemetry.create(openTelemetry);
 * Tether.connect(address, TetherOptions.defaults().withCallListener(telemetry.clientListener()));
 * TetherServer.builder().callListener(telemetry.serverListener())...
 * }</pre>
 *
 * <p>Immutable and thread-safe; create one per {@link OpenTelemetry} and share its listeners.
 */
public final class TetherTelemetry {
  /** The instrumentation scope name of Tether's tracer and meter. */
  public static final String SCOPE = "dev.tether";

  private final OtelCallListener client;
  private final OtelCallListener server;

  private TetherTelemetry(OpenTelemetry openTelemetry) {
    this.client = new OtelCallListener(openTelemetry, true);
    this.server = new OtelCallListener(openTelemetry, false);
  }

  /** Telemetry reporting to {@code openTelemetry} (its tracer, meter and propagators). */
  public static TetherTelemetry create(OpenTelemetry openTelemetry) {
    return new TetherTelemetry(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /**
   * For {@code TetherOptions.withCallListener}: a CLIENT span per call (a child of the current
   * span, or of the trace context in the thread's call metadata when a server method calls
   * on), its context injected into the call's metadata, and {@code rpc.client.call.duration}.
   */
  public CallListener clientListener() {
    return client;
  }

  /**
   * For {@code TetherServer.Builder.callListener}: a SERVER span per call, a child of the trace
   * context the caller sent; the method's own calls carry this span's context on. Records
   * {@code rpc.server.call.duration}.
   */
  public CallListener serverListener() {
    return server;
  }
}
