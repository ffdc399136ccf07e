package dev.tether.bench;

import java.rmi.Remote;
import java.rmi.RemoteException;

/** The RMI peer's remote interface: the same calls as {@link BenchService}'s echo methods. */
public interface RmiService extends Remote {
  /** Returns {@code v}. */
  int echo(int v) throws RemoteException;

  /** Returns {@code p}. */
  Payload echoPayload(Payload p) throws RemoteException;
}
