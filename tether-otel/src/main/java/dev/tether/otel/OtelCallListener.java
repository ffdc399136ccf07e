package dev.tether.otel;

import dev.tether.CallInfo;
import dev.tether.CallListener;
import dev.tether.CallMetadata;
import dev.tether.CallOutcome;
import dev.tether.TetherException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;

/** One side's listener: spans, the duration histogram and trace context in call metadata. */
final class OtelCallListener implements CallListener {
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("tether.outcome");
  static final AttributeKey<String> CANCEL_RESULT = AttributeKey.stringKey("tether.cancel.result");
  static final AttributeKey<Long> CANCEL_GRACE_MS = AttributeKey.longKey("tether.cancel.grace_ms");
  static final AttributeKey<Boolean> CANCEL_DEADLINE =
      AttributeKey.booleanKey("tether.cancel.deadline");

  /** Buckets for calls that take microseconds to seconds. */
  private static final List<Double> BUCKETS = List.of(0.00001, 0.000025, 0.00005, 0.0001,
      0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
      10.0);

  /** Reads trace context from call metadata. */
  private static final TextMapGetter<CallMetadata> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(CallMetadata carrier) {
      return carrier.asMap().keySet();
    }

    @Override
    public String get(CallMetadata carrier, String key) {
      return carrier == null ? null : carrier.get(key).orElse(null);
    }
  };

  /** Writes trace context into a starting call's metadata; a value over the limits is left out. */
  private static final TextMapSetter<CallInfo> SETTER = (call, key, value) -> {
    try {
      call.putMetadata(key, value);
    } catch (IllegalArgumentException overLimits) {
      // e.g. very long baggage: the trace still propagates through traceparent
    }
  };

  private final boolean client;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final DoubleHistogram duration;

  OtelCallListener(OpenTelemetry otel, boolean client) {
    this.client = client;
    this.tracer = otel.getTracer(TetherTelemetry.SCOPE);
    this.propagator = otel.getPropagators().getTextMapPropagator();
    String side = client ? "client" : "server";
    this.duration = otel.getMeter(TetherTelemetry.SCOPE)
        .histogramBuilder("rpc." + side + ".call.duration")
        .setUnit("s")
        .setDescription("Duration of Tether calls, measured on the " + side)
        .setExplicitBucketBoundariesAdvice(BUCKETS)
        .build();
  }

  /** The server's span must be current in the method, as the parent of its nested calls. */
  @Override
  public boolean requiresStartBeforeMethod() {
    return !client;
  }

  @Override
  public void started(CallInfo call) {
    Context parent;
    if (client) {
      parent = Context.current();
      if (!Span.fromContext(parent).getSpanContext().isValid()) {
        parent = propagator.extract(parent, call.metadata(), GETTER); // inside a server method
      }
    } else {
      parent = propagator.extract(Context.root(), call.metadata(), GETTER);
    }
    Span span = tracer.spanBuilder(call.interfaceName() + "/" + call.methodName())
        .setSpanKind(client ? SpanKind.CLIENT : SpanKind.SERVER)
        .setParent(parent)
        .setAttribute(RPC_SYSTEM, "tether")
        .setAttribute(RPC_SERVICE, call.interfaceName())
        .setAttribute(RPC_METHOD, call.methodName())
        .startSpan();
    // the client sends its span; the server hands its own to the method's nested calls
    propagator.inject(parent.with(span), call, SETTER);
    call.attach(this, span);
  }

  @Override
  public void cancelled(CallInfo call, Cancel cancel) {
    if (call.attached(this) instanceof Span span) {
      span.addEvent("tether.cancel", Attributes.of(CANCEL_RESULT, cancel.result().name(),
          CANCEL_GRACE_MS, cancel.grace().toMillis(), CANCEL_DEADLINE, cancel.deadline()));
    }
  }

  @Override
  public void ended(CallInfo call, CallOutcome outcome, Throwable failure) {
    AttributesBuilder a = Attributes.builder()
        .put(RPC_SYSTEM, "tether")
        .put(RPC_SERVICE, call.interfaceName())
        .put(RPC_METHOD, call.methodName());
    String errorType = outcome == CallOutcome.OK ? null : errorType(outcome, failure);
    if (errorType != null) {
      a.put(ERROR_TYPE, errorType);
    }
    duration.record(call.durationNanos() / 1e9, a.build());
    if (call.attached(this) instanceof Span span) {
      span.setAttribute(OUTCOME, outcome.tag());
      if (errorType != null) {
        span.setAttribute(ERROR_TYPE, errorType);
        span.setStatus(StatusCode.ERROR, outcome.tag());
        if (outcome == CallOutcome.ERROR && failure != null) {
          span.recordException(failure);
        }
      }
      span.end();
    }
  }

  /** Low-cardinality: Tether's error code, else the exception's class, else the outcome. */
  static String errorType(CallOutcome outcome, Throwable failure) {
    if (failure instanceof TetherException t) {
      return t.code().name();
    }
    if (failure != null) {
      return failure.getClass().getName();
    }
    return outcome.name();
  }
}
