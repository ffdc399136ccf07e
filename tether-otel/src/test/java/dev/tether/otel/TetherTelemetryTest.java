package dev.tether.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.RemoteException;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Spans and metrics per the OpenTelemetry RPC conventions, checked with in-memory exporters. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TetherTelemetryTest {
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  OpenTelemetrySdk otel;
  TetherTelemetry telemetry;
  TetherOptions clientOptions;

  @BeforeEach
  void sdk() {
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    telemetry = TetherTelemetry.create(otel);
    clientOptions = TetherOptions.defaults().withCallListener(telemetry.clientListener());
  }

  @AfterEach
  void close() {
    otel.close();
  }

  private TetherServer server() {
    return TetherServer.builder()
        .export("greeter", Greeter.class, new GreeterImpl(clientOptions))
        .callListener(telemetry.serverListener()).start();
  }

  @Test
  void aCallMakesAClientSpanAndAServerChildSpanWithTheRpcAttributes() throws Exception {
    try (TetherServer server = server(); Tether client = Tether.connect(server.address(),
        clientOptions)) {
      assertThat(client.get(Greeter.class, "greeter").greet("otel")).isEqualTo("hello otel");
      awaitSpans(2);
    }
    SpanData c = span(SpanKind.CLIENT, 0);
    SpanData s = span(SpanKind.SERVER, 0);
    for (SpanData d : List.of(c, s)) {
      assertThat(d.getName()).isEqualTo(Greeter.class.getName() + "/greet");
      assertThat(d.getAttributes().get(SYSTEM)).isEqualTo("tether");
      assertThat(d.getAttributes().get(SERVICE)).isEqualTo(Greeter.class.getName());
      assertThat(d.getAttributes().get(METHOD)).isEqualTo("greet");
      assertThat(d.getAttributes().get(ERROR_TYPE)).isNull();
      assertThat(d.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }
    assertThat(s.getTraceId()).isEqualTo(c.getTraceId());
    assertThat(s.getParentSpanId()).as("the trace context crossed the process boundary")
        .isEqualTo(c.getSpanId());
  }

  @Test
  void aNestedCallIsAChildOfTheServerSpanAtTheSecondHop() throws Exception {
    try (TetherServer a = server(); TetherServer b = server();
        Tether client = Tether.connect(a.address(), clientOptions)) {
      assertThat(client.get(Greeter.class, "greeter").relay(b.address(), "hop"))
          .isEqualTo("hello hop");
      awaitSpans(4);
    }
    SpanData first = spans.getFinishedSpanItems().stream()
        .filter(d -> d.getKind() == SpanKind.CLIENT && d.getName().endsWith("/relay"))
        .findFirst().orElseThrow();
    SpanData atA = spans.getFinishedSpanItems().stream()
        .filter(d -> d.getKind() == SpanKind.SERVER && d.getName().endsWith("/relay"))
        .findFirst().orElseThrow();
    SpanData fromA = spans.getFinishedSpanItems().stream()
        .filter(d -> d.getKind() == SpanKind.CLIENT && d.getName().endsWith("/greet"))
        .findFirst().orElseThrow();
    SpanData atB = spans.getFinishedSpanItems().stream()
        .filter(d -> d.getKind() == SpanKind.SERVER && d.getName().endsWith("/greet"))
        .findFirst().orElseThrow();
    assertThat(List.of(atA, fromA, atB)).allSatisfy(
        d -> assertThat(d.getTraceId()).isEqualTo(first.getTraceId()));
    assertThat(atA.getParentSpanId()).isEqualTo(first.getSpanId());
    assertThat(fromA.getParentSpanId()).isEqualTo(atA.getSpanId());
    assertThat(atB.getParentSpanId()).isEqualTo(fromA.getSpanId());
  }

  @Test
  void durationsAreRecordedUnderTheConventionalNamesWithErrorTypeOnFailures() throws Exception {
    try (TetherServer server = server(); Tether client = Tether.connect(server.address(),
        clientOptions)) {
      Greeter g = client.get(Greeter.class, "greeter");
      g.greet("one");
      assertThatThrownBy(() -> g.fail("boom")).isInstanceOf(RemoteException.class);
      awaitSpans(4);
    }
    List<MetricData> all = List.copyOf(metrics.collectAllMetrics());
    assertThat(all).extracting(MetricData::getName)
        .contains("rpc.client.call.duration", "rpc.server.call.duration");
    for (String name : List.of("rpc.client.call.duration", "rpc.server.call.duration")) {
      MetricData m = all.stream().filter(d -> d.getName().equals(name)).findFirst().orElseThrow();
      assertThat(m.getUnit()).isEqualTo("s");
      List<HistogramPointData> points = List.copyOf(m.getHistogramData().getPoints());
      assertThat(points).hasSize(2);
      HistogramPointData ok = points.stream()
          .filter(p -> "greet".equals(p.getAttributes().get(METHOD))).findFirst().orElseThrow();
      assertThat(ok.getAttributes().get(SYSTEM)).isEqualTo("tether");
      assertThat(ok.getAttributes().get(SERVICE)).isEqualTo(Greeter.class.getName());
      assertThat(ok.getAttributes().get(ERROR_TYPE)).isNull();
      assertThat(ok.getCount()).isEqualTo(1);
      assertThat(ok.getSum()).isPositive().isLessThan(60);
      HistogramPointData failed = points.stream()
          .filter(p -> "fail".equals(p.getAttributes().get(METHOD))).findFirst().orElseThrow();
      assertThat(failed.getAttributes().get(ERROR_TYPE)).isEqualTo(name.contains("client")
          ? "REMOTE_EXCEPTION" : IllegalStateException.class.getName());
    }
    SpanData failedClient = spans.getFinishedSpanItems().stream()
        .filter(d -> d.getKind() == SpanKind.CLIENT && d.getName().endsWith("/fail"))
        .findFirst().orElseThrow();
    assertThat(failedClient.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failedClient.getAttributes().get(ERROR_TYPE)).isEqualTo("REMOTE_EXCEPTION");
  }

  private SpanData span(SpanKind kind, int i) {
    return spans.getFinishedSpanItems().stream().filter(d -> d.getKind() == kind).toList().get(i);
  }

  /** Server spans end after the answer is written, a moment after the client has it. */
  private void awaitSpans(int n) throws InterruptedException {
    awaitTrue(() -> spans.getFinishedSpanItems().size() >= n, n + " spans");
  }

  private static void awaitTrue(BooleanSupplier c, String what) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(1);
    }
  }
}
