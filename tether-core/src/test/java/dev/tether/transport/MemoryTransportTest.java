package dev.tether.transport;

import java.util.UUID;

class MemoryTransportTest extends TransportContractTest {
  @Override
  String listenAddress() {
    return "mem:" + UUID.randomUUID();
  }
}
