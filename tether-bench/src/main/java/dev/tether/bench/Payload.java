package dev.tether.bench;

import java.io.Serializable;

/**
 * The record of {@code rtt_record}: a String and a 1 KiB byte[], echoed back. Serializable for
 * RMI; Tether, gRPC (hand-written marshaller) and LSP4J (Gson) encode it their own way.
 */
public record Payload(String name, byte[] data) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The payload every system sends: a short name and 1024 bytes. */
  public static Payload sample() {
    byte[] data = new byte[1024];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    return new Payload("tether-bench payload", data);
  }
}
