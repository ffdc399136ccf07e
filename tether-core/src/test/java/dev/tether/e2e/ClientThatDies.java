package dev.tether.e2e;

import dev.tether.Tether;
import dev.tether.fixtures.EchoService;

/**
 * Main class of a client JVM that launches a worker, proves it works, prints the worker's pid
 * and then waits to be killed.
 */
public final class ClientThatDies {
  private ClientThatDies() {}

  public static void main(String[] args) throws InterruptedException {
    Tether t = TestWorkers.launchEcho();
    EchoService echo = t.get(EchoService.class, "echo");
    System.out.println("WORKER " + echo.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
