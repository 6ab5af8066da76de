package io.meshlog.jmx.view;

/**
 * The gossipsub parameters the {@code io.meshlog:type=Gossipsub} MBean reads and changes at run
 * time. Thread-safe.
 */
public interface GossipControl {

  /** The parameters in force. */
  GossipParams params();

  /**
   * Puts {@code params} in force (from the next heartbeat). All or nothing.
   *
   * @throws IllegalArgumentException naming the bad parameter; nothing changed
   */
  void apply(GossipParams params);
}
