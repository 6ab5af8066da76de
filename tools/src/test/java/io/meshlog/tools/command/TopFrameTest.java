package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopFrameTest {
  private static final TopSample.Node NODE =
      new TopSample.Node("12D3KooWSelf", "meshlog/0.1.0", 75, "healthy", "", false, List.of());

  private static TopSample sample(
      long nanos, long events, List<TopSample.Topic> topics, List<TopSample.Peer> peers) {
    return new TopSample(
        nanos,
        1_764_700_000_000L,
        NODE,
        new TopSample.JournalSample(900, 890, 10, events, 4096, 64, 0),
        topics,
        peers);
  }

  private static TopSample.Topic topic(String name, long messages) {
    return new TopSample.Topic(name, true, 2, messages, 1, 0, 1.5, 9.25, 12, "", 3, 41);
  }

  private static TopSample.Peer peer(String id, long in, long out) {
    return new TopSample.Peer(
        id,
        "outbound",
        "direct",
        "/ip4/127.0.0.1/tcp/1",
        "x",
        List.of("chat"),
        "",
        -1,
        0.5,
        in,
        out,
        0,
        0);
  }

  @Test
  void shouldComputeEveryRateFromTheTwoSamplesAndMarkNewRowsUnmeasured() throws Exception {
    String longPeer = "12D3KooWAbcdefghijklmnopqrstuvwxyz";
    TopSample before =
        sample(1_000_000_000L, 100, List.of(topic("chat", 40)), List.of(peer(longPeer, 10, 20)));
    TopSample now =
        sample(
            3_000_000_000L,
            300,
            List.of(topic("chat", 60), topic("news", 5)),
            List.of(peer(longPeer, 14, 30), peer("12D3KooWNew", 1, 1)));

    JsonNode o = new ObjectMapper().readTree(new TopFrame(before, now).json());

    assertThat(o.get("intervalMillis").asLong()).isEqualTo(2000);
    assertThat(o.get("journal").get("eventsPerSecond").asDouble()).isEqualTo(100.0);
    assertThat(o.get("topics").get(0).get("messagesPerSecond").asDouble()).isEqualTo(10.0);
    assertThat(o.get("topics").get(1).get("messagesPerSecond").asDouble()).isEqualTo(-1.0);
    assertThat(o.get("topics").get(0).get("unconfirmed").asLong()).isEqualTo(3);
    assertThat(o.get("topics").get(0).get("lastFinalSeq").asLong()).isEqualTo(41);
    JsonNode old = o.get("peers").get(0);
    assertThat(old.get("messagesInPerSecond").asDouble()).isEqualTo(2.0);
    assertThat(old.get("messagesOutPerSecond").asDouble()).isEqualTo(5.0);
    assertThat(o.get("peers").get(1).get("messagesInPerSecond").asDouble()).isEqualTo(-1.0);

    List<String> text = new TopFrame(before, now).text(160);
    assertThat(text.get(0)).startsWith("meshlog top  12D3KooWSelf  up 0d 00:01:15");
    assertThat(text)
        .anyMatch(
            l -> l.matches("chat\\s+2\\s+10\\.0\\s+60\\s+1\\s+0\\s+1\\.5\\s+9\\.3\\s+3\\s+41"));
    assertThat(text).anyMatch(l -> l.matches("news\\s+2\\s+-\\s+5\\s+.*"));
    assertThat(text).anyMatch(l -> l.startsWith("12D3KooWAbcd..uvwxyz outbound        -"));
    assertThat(new TopFrame(before, now).text(30)).allMatch(l -> l.length() <= 30);
  }

  @Test
  void shouldGiveNoEventRateWhenTheNodeExportsNoMeters() throws Exception {
    TopSample before = sample(0, -1, List.of(), List.of());
    TopSample now = sample(1_000_000_000L, -1, List.of(), List.of());
    JsonNode o = new ObjectMapper().readTree(new TopFrame(before, now).json());
    assertThat(o.get("journal").get("eventsPerSecond").asDouble()).isEqualTo(-1.0);
    assertThat(new TopFrame(before, now).text(160)).contains("(no topics)", "(no peers connected)");
  }
}
