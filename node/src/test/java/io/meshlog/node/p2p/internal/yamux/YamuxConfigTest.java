package io.meshlog.node.p2p.internal.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class YamuxConfigTest {
  @Test
  void shouldHaveValidDefaults() {
    assertThat(YamuxConfig.defaults().validate().initialWindowSize()).isEqualTo(256 * 1024);
  }

  @Test
  void shouldNameTheBadKeyAndValueWhenValidating() {
    assertThatThrownBy(() -> YamuxConfig.defaults().withMaxStreams(0).validate())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("yamux.maxStreams")
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> YamuxConfig.defaults().withInitialWindowSize(1000).validate())
        .hasMessageContaining("yamux.initialWindowSize");
    assertThatThrownBy(
            () ->
                YamuxConfig.defaults()
                    .withInitialWindowSize(1 << 20)
                    .withMaxWindowSize(512 * 1024)
                    .validate())
        .hasMessageContaining("yamux.maxWindowSize");
    assertThatThrownBy(() -> YamuxConfig.defaults().withMaxPendingBytesPerStream(-1).validate())
        .hasMessageContaining("yamux.maxPendingBytesPerStream");
  }

  @Test
  void shouldRefuseASessionWithAnInvalidConfig() {
    assertThatThrownBy(
            () -> new YamuxSession(true, YamuxConfig.defaults().withMaxFrameSize(0), s -> {}))
        .hasMessageContaining("yamux.maxFrameSize");
  }
}
