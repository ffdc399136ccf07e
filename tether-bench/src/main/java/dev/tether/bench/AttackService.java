package dev.tether.bench;

import java.util.List;

/** What the server under attack exports: a trivial call, and the shapes the attacks abuse. */
public interface AttackService {
  /** Returns {@code v}: the healthy client's round trip. */
  int echo(int v);

  /** Counts the strings: a CALL of many empty lists is the decode-amplification attack. */
  int count(List<List<String>> lists);

  /** Returns {@code size} bytes: results a client that never reads lets pile up. */
  byte[] blob(int size);

  /**
   * Connections the server has open now, for the health check after an attack (the admin object,
   * which would say, is not served over the insecure plain TCP this server uses).
   */
  int connections();
}
