package io.meshlog.jmx.adapter;

import io.meshlog.jmx.view.DirectoryView;
import io.meshlog.jmx.view.RegistrationInfo;
import io.meshlog.node.discovery.DirectoryService;
import io.meshlog.node.discovery.Registration;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import java.util.List;

/** The {@link DirectoryView} of a directory node's {@link DirectoryService}. Thread-safe. */
public final class DirectoryServiceView implements DirectoryView {

  private final DirectoryService directory;

  public DirectoryServiceView(DirectoryService directory) {
    this.directory = directory;
  }

  @Override
  public List<String> topics() {
    return directory.topics();
  }

  @Override
  public List<RegistrationInfo> registrations(String topic) {
    return info(directory.registrations(topic));
  }

  @Override
  public int size() {
    return directory.size();
  }

  @Override
  public List<RegistrationInfo> discover(String topic) {
    return info(directory.discover(topic));
  }

  @Override
  public boolean unregister(String peerId, String topic) {
    PeerId peer;
    try {
      peer = PeerId.parse(peerId);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid peerId = " + peerId + ": " + e.getMessage());
    }
    return directory.unregister(peer, topic);
  }

  private static List<RegistrationInfo> info(List<Registration> registrations) {
    return registrations.stream()
        .map(
            r ->
                new RegistrationInfo(
                    r.peer().toString(),
                    r.topic(),
                    r.addresses().stream().map(Multiaddr::toString).toList(),
                    r.registeredAt(),
                    r.expiresAt()))
        .toList();
  }
}
