package io.meshlog.bench;

import io.meshlog.jmx.MeshlogMBeans;
import io.meshlog.jmx.MeshlogNotifications;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.view.Health;
import io.meshlog.jmx.view.MeshlogViews;
import io.meshlog.jmx.view.NodeView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.NotificationListener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a JMX notification costs the thread that reports a connection or mesh change: with no
 * listener (no console open) it must cost a flag read and allocate nothing; with a listener it
 * builds and delivers one notification. Run with {@code -prof gc} to see the allocation.
 *
 * <p>Checks its own result at tear-down: nothing sent without a listener, every call sent with one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NotificationBench {

  private static final String PEER = "12D3KooWGzh8d5n4yS6uCk7m5bXw9y1iVQk5pHfKxLd2vZbqf3rA";
  private static final String ADDRESS = "/ip4/127.0.0.1/tcp/4001";

  @Param({"false", "true"})
  public boolean listening;

  private MBeanServer server;
  private MeshlogMBeans beans;
  private MeshlogNotifications notifications;
  private long calls;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = MBeanServerFactory.newMBeanServer();
    beans =
        MeshlogMBeans.register(
            server, MeshlogViews.none().withNode(new IdleNode()), Duration.ofSeconds(60));
    notifications = beans.notifications();
    if (listening) {
      NotificationListener discard = (n, handback) -> {};
      server.addNotificationListener(MeshlogMBeans.NODE, discard, null, null);
    }
  }

  @Benchmark
  public void peerConnected() {
    calls++;
    notifications.peerConnected(PEER, "outbound", ADDRESS);
  }

  @TearDown(Level.Trial)
  public void check() {
    long sent = beans.counter(JmxCounter.NOTIFICATIONS_SENT);
    beans.unregisterAll();
    long expected = listening ? calls : 0;
    if (sent != expected) {
      throw new IllegalStateException(
          "listening=" + listening + ": " + sent + " notifications sent for " + calls + " calls");
    }
  }

  /** A node that is never asked anything but its notifications. */
  private static final class IdleNode implements NodeView {
    @Override
    public String peerId() {
      return PEER;
    }

    @Override
    public List<String> listenAddresses() {
      return List.of(ADDRESS);
    }

    @Override
    public String agentVersion() {
      return "meshlog/bench";
    }

    @Override
    public Instant startedAt() {
      return Instant.EPOCH;
    }

    @Override
    public Health health() {
      return Health.OK;
    }

    @Override
    public String publish(String topic, byte[] data) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Duration ping(String peerId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void reconnectMesh() {}

    @Override
    public String connect(String multiaddr) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void disconnect(String peerId) {}
  }
}
