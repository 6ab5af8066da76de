package io.meshlog.jmx.api;

import javax.management.openmbean.TabularData;

/**
 * {@code io.meshlog:type=Directory}, registered only on a node running {@code --role directory}:
 * who is registered in which topic. Tables have a row per registration keyed by (topic, peerId),
 * with columns topic, peerId, addresses (comma-separated), registeredAt and expiresAt (ISO-8601
 * UTC).
 */
public interface DirectoryMXBean {

  /** Registrations held now, all topics together. */
  int getRegistrationCount();

  /** Topics with at least one registration. */
  int getTopicCount();

  /**
   * The topics with at least one registration, sorted and comma-separated (a plain string, so
   * JConsole shows it in the attribute table rather than as an array to open, like a Peer's
   * Topics).
   */
  String getTopics();

  /** Every live registration of every topic. */
  TabularData getRegistrations();

  /** The live registrations of one topic. */
  TabularData registrations(String topic);

  /** What a DISCOVER of {@code topic} would answer now, rate limits aside. */
  TabularData discover(String topic);

  /**
   * Removes a registration (journaled as unregistered with reason {@code operator}).
   *
   * @return whether there was one
   * @throws IllegalArgumentException when {@code peerId} is not a peer id
   */
  boolean unregister(String peerId, String topic);
}
