package dev.tether.transport;

class TcpTransportTest extends TransportContractTest {
  @Override
  String listenAddress() {
    return "tcp:127.0.0.1:0";
  }
}
