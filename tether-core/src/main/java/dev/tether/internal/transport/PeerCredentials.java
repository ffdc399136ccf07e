package dev.tether.internal.transport;

/**
 * Who the kernel says is at the other end of a Unix-domain socket: the user and group of the
 * process that connected, as the JDK names them (the name the system has for the id, else the
 * decimal id). Linux records the connecting process's effective uid and gid at {@code connect()};
 * the JDK does not give the pid.
 *
 * @param user the peer's user name, or its uid in decimal when the system has no name for it
 * @param group the peer's group name, or its gid in decimal
 */
public record PeerCredentials(String user, String group) {}
