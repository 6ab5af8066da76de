package io.meshlog.jmx.view;

import java.time.Instant;
import java.util.List;

/**
 * One peer registered in one topic at a directory node, as the Directory MBean shows it.
 *
 * @param peerId the registered peer (base58)
 * @param topic the rendezvous namespace, which is the gossipsub topic
 * @param addresses the addresses of its signed peer record
 * @param registeredAt its latest REGISTER
 * @param expiresAt when it lapses unless refreshed
 */
public record RegistrationInfo(
    String peerId, String topic, List<String> addresses, Instant registeredAt, Instant expiresAt) {

  public RegistrationInfo {
    addresses = List.copyOf(addresses);
  }
}
