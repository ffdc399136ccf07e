package dev.tether.bench;

import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;

/** The LSP4J peer's JSON-RPC interface: the calls of {@link BenchService}, one parameter each. */
public interface Lsp4jService {
  /** Returns {@code v}. */
  @JsonRequest
  CompletableFuture<Integer> echo(Integer v);

  /** Returns {@code p}. */
  @JsonRequest
  CompletableFuture<Payload> echoPayload(Payload p);

  /** Signals {@code seq}, then stays pending until cancelled. */
  @JsonRequest
  CompletableFuture<Integer> block(Integer seq);

  /** Signals {@code seq}, then spins until cancelled; records when under {@code seq}. */
  @JsonRequest
  CompletableFuture<Long> spin(Integer seq);

  /** When spin number {@code seq} saw its cancel, or 0. */
  @JsonRequest
  CompletableFuture<Long> lastSeen(Integer seq);

  /** Pending until cancelled; counted on the server. */
  @JsonRequest
  CompletableFuture<Integer> awaitCancel(Integer ignored);

  /** Starts a cancel_10k round. */
  @JsonRequest
  CompletableFuture<Integer> resetCancelCount(Integer n);

  /** Progress of the round. */
  @JsonRequest
  CompletableFuture<CancelProgress> cancelProgress(Integer ignored);
}
