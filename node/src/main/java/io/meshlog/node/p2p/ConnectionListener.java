package io.meshlog.node.p2p;

/** Told when connections open and close; called on the connection's I/O thread, must not block. */
public interface ConnectionListener {

  /** The connection completed its upgrade and is usable. */
  default void onOpened(Connection connection) {}

  /** The connection closed; {@code reason} is short text, e.g. "closed by remote". */
  default void onClosed(Connection connection, String reason) {}
}
