package io.meshlog.node.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.node.p2p.factory.Hosts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HostConfigTest {

  @Test
  void shouldHaveValidDefaults() {
    HostConfig c = HostConfig.defaults().validate();
    assertThat(c.agentVersion()).startsWith("meshlog/");
    assertThat(c.listenAddresses()).containsExactly("/ip4/127.0.0.1/tcp/0");
  }

  @Test
  void shouldNameTheBadKeyAndValueWhenValidating() {
    assertThatThrownBy(() -> HostConfig.builder().maxConnections(0).build().validate())
        .hasMessageContaining("maxConnections = 0");
    assertThatThrownBy(
            () -> HostConfig.builder().listenAddresses(List.of("/ip4/1.2.3.4")).build().validate())
        .hasMessageContaining("listenAddresses = /ip4/1.2.3.4");
    assertThatThrownBy(
            () -> HostConfig.builder().handshakeTimeout(Duration.ZERO).build().validate())
        .hasMessageContaining("handshakeTimeout");
    assertThatThrownBy(() -> HostConfig.builder().agentVersion(" ").build().validate())
        .hasMessageContaining("agentVersion");
    assertThatThrownBy(() -> HostConfig.builder().maxPendingWriteBytes(10).build().validate())
        .hasMessageContaining("maxPendingWriteBytes");
  }

  @Test
  void shouldRefuseToStartWithAnInvalidConfig() {
    assertThatThrownBy(
            () ->
                Hosts.start(
                    HostConfig.builder().ioThreads(0).build(), Identity.generate(), e -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ioThreads");
  }

  @Test
  void shouldFailToStartClearlyWhenThePortIsTaken() {
    try (Host first = Hosts.start(HostConfig.defaults(), Identity.generate(), e -> {})) {
      String taken = first.listenAddresses().get(0).withoutPeerId().toString();
      assertThatThrownBy(
              () ->
                  Hosts.start(
                      HostConfig.builder().listenAddresses(List.of(taken)).build(),
                      Identity.generate(),
                      e -> {}))
          .hasMessageContaining("cannot listen on " + taken);
    }
  }

  @Test
  void shouldKeepEverySettingThroughToBuilder() {
    HostConfig c =
        HostConfig.builder().maxStreamsPerConnection(77).pingInterval(Duration.ZERO).build();
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }
}
