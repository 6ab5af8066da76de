package io.meshlog.tools;

import io.meshlog.jmx.Health;
import io.meshlog.jmx.NodeView;
import io.meshlog.node.MeshlogNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node view a console sees, with {@link #publish} going through {@link MeshlogNode#publish}: a
 * line an operator publishes from JConsole carries a Lamport time like every other message of this
 * node. Everything else is the router/host view it wraps. Thread-safe.
 */
final class EnvelopedNodeView implements NodeView {

  private final NodeView view;
  private final MeshlogNode node;
  private final Duration timeout;

  EnvelopedNodeView(NodeView view, MeshlogNode node, Duration timeout) {
    this.view = view;
    this.node = node;
    this.timeout = timeout;
  }

  @Override
  public String publish(String topic, byte[] data) {
    try {
      byte[] id = node.publish(topic, data).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return HexFormat.of().formatHex(id);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("publish on " + topic + " interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("publish on " + topic + " failed: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("publish on " + topic + " timed out after " + timeout, e);
    }
  }

  @Override
  public String peerId() {
    return view.peerId();
  }

  @Override
  public List<String> listenAddresses() {
    return view.listenAddresses();
  }

  @Override
  public String agentVersion() {
    return view.agentVersion();
  }

  @Override
  public Instant startedAt() {
    return view.startedAt();
  }

  @Override
  public Health health() {
    return view.health();
  }

  @Override
  public Duration ping(String peerId) {
    return view.ping(peerId);
  }

  @Override
  public void reconnectMesh() {
    view.reconnectMesh();
  }

  @Override
  public String connect(String multiaddr) {
    return view.connect(multiaddr);
  }

  @Override
  public void disconnect(String peerId) {
    view.disconnect(peerId);
  }
}
