/**
 * Tether: Java objects in other processes, reached through ordinary interfaces, whose calls can
 * always be cancelled. Only {@code dev.tether} is exported; everything else is implementation.
 * Remote interfaces (and the records and enums they use) must be in packages exported by their
 * module; records in a named module must also be opened to {@code dev.tether}.
 */
module dev.tether {
  requires jdk.net;
  requires jdk.jfr;

  exports dev.tether;
}
