package io.meshlog.jmx.view;

import java.util.List;

/** What the {@code io.meshlog:type=Directory} MBean reads and drives. Thread-safe. */
public interface DirectoryView {

  /** The topics with registrations. */
  List<String> topics();

  /** The live registrations in {@code topic}, in registration order. */
  List<RegistrationInfo> registrations(String topic);

  /** Registrations held now, all topics together. */
  int size();

  /** What a DISCOVER of {@code topic} would answer now (no rate limit applies). */
  List<RegistrationInfo> discover(String topic);

  /**
   * Removes {@code peerId}'s registration in {@code topic}.
   *
   * @return whether there was one
   * @throws IllegalArgumentException when {@code peerId} is not a peer id
   */
  boolean unregister(String peerId, String topic);
}
