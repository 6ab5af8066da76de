package io.meshlog.node.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.node.NodeJournals;
import io.meshlog.node.discovery.DirectoryService;
import io.meshlog.node.discovery.Registration;
import io.meshlog.node.discovery.RendezvousStatus;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.PeerRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A js-libp2p rendezvous client from npm ({@code @canvas-js/libp2p-rendezvous}, see
 * docs/interop.md) registers and discovers at a real meshlog directory on 127.0.0.1, in a namespace
 * where a real meshlog node registered first. The client sends REGISTER, DISCOVER, UNREGISTER and
 * DISCOVER on one stream, with the fields it leaves at zero (ttl, limit, cookie) omitted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RendezvousJsInteropIT {
  private static final String NS = "lobby";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension final JsPeers js = new JsPeers();
  @TempDir Path tmp;

  private MeshlogNode directory;
  private MeshlogNode member;

  @BeforeEach
  void startDirectoryAndMember() {
    Map<String, String> d = settings("directory");
    d.put("node.role", "directory");
    directory = MeshlogNode.start(NodeConfig.fromProperties(d));
    Map<String, String> m = settings("member");
    m.put("node.topics", NS);
    m.put("node.directories", directoryAddress());
    member = MeshlogNode.start(NodeConfig.fromProperties(m));
    Await.until(
        "the meshlog member's registration in " + NS,
        WAIT,
        () -> registered(member.peerId()) != null);
  }

  @AfterEach
  void stopNodes() {
    if (member != null) {
      member.close();
    }
    if (directory != null) {
      directory.close();
    }
  }

  @Test
  void shouldRegisterDiscoverAndUnregisterAJsClientAtAMeshlogDirectory() {
    JsPeer client =
        js.start(JsPeerOptions.rendezvousClient(directoryAddress(), NS).with("hold", true));
    PeerId jsPeer = PeerId.parse(client.peerId());
    List<String> jsAddrs =
        client.addrs().stream().map(RendezvousJsInteropIT::withoutPeerId).toList();

    // REGISTER without a TTL (the client omits a zero one): the spec's default, 2 h.
    JsonNode registered = client.awaitEvent(JsPeer.event("registered"), WAIT);
    assertThat(registered.path("ttl").asLong()).isEqualTo(7200);
    Registration row = registered(jsPeer);
    assertThat(row).as("the js peer in the directory's table").isNotNull();
    assertThat(row.addresses()).extracting(Multiaddr::toString).containsExactlyElementsOf(jsAddrs);
    Await.until(
        "the REGISTER journaled", () -> !of(jsPeer, EventType.DIRECTORY_REGISTERED).isEmpty());
    Event journaled = registeredEvent(jsPeer);
    assertThat(journaled.value()).as("TTL journaled").isEqualTo(7200);
    assertThat(journaled.text()).isEqualTo("new");
    assertThat(recordAddresses(journaled.data())).containsExactlyElementsOf(jsAddrs);

    // DISCOVER: the directory answers both registrations; the client drops its own.
    JsonNode discovered = client.awaitEvent(JsPeer.event("discovered"), WAIT);
    JsonNode peers = discovered.path("peers");
    assertThat(peers).hasSize(1);
    JsonNode found = peers.get(0);
    List<String> memberAddrs = recordAddresses(registered(member.peerId()).signedPeerRecord());
    assertThat(found.path("peerId").asText()).isEqualTo(member.peerId().toBase58());
    assertThat(texts(found.path("addrs"))).containsExactlyInAnyOrderElementsOf(memberAddrs);
    JsonNode record = found.path("record");
    assertThat(record.path("peerId").asText()).isEqualTo(member.peerId().toBase58());
    assertThat(record.path("signer").asText()).isEqualTo(member.peerId().toBase58());
    assertThat(texts(record.path("addrs"))).containsExactlyElementsOf(memberAddrs);
    assertThat(member.listenAddresses().stream().map(a -> a.withoutPeerId().toString()))
        .containsExactlyInAnyOrderElementsOf(memberAddrs);
    Await.until("the directory's DISCOVER answer journaled", () -> answered(jsPeer).size() == 1);
    assertThat(answered(jsPeer)).as("registrations the directory answered").containsExactly(2L);

    // UNREGISTER, then a DISCOVER on the same stream: its answer comes after the UNREGISTER.
    JsonNode after = client.command("unregister", Map.of(), WAIT);
    assertThat(texts(after.path("peersAfter"))).containsExactly(member.peerId().toBase58());
    assertThat(registered(jsPeer)).as("the js peer after UNREGISTER").isNull();
    assertThat(registered(member.peerId())).isNotNull();
    Await.until(
        "the UNREGISTER journaled",
        () -> unregisteredTexts(jsPeer).contains("unregister") && answered(jsPeer).size() == 2);
    assertThat(answered(jsPeer)).containsExactly(2L, 1L);
    assertThat(client.awaitExit(WAIT)).as("exit code of the js client").isZero();
    assertThat(refusals(jsPeer)).as("refusals of the js peer's requests").isEmpty();
  }

  @Test
  void shouldTellTheJsClientWhyATtlBelowTheMinimumIsRefused() {
    // directory.minTtl is 2 minutes by default.
    JsPeer client =
        js.start(JsPeerOptions.rendezvousClient(directoryAddress(), NS).with("ttl", 60));
    PeerId jsPeer = PeerId.parse(client.peerId());

    JsonNode refused = client.awaitEvent(JsPeer.event("refused"), WAIT);
    assertThat(refused.path("request").asText()).isEqualTo("register");
    assertThat(refused.path("status").asText()).isEqualTo("E_INVALID_TTL");
    assertThat(client.awaitExit(WAIT)).as("exit code of the js client").isEqualTo(1);
    assertThat(registered(jsPeer)).isNull();
    Await.until("the refusal journaled", () -> !refusals(jsPeer).isEmpty());
    assertThat(refusals(jsPeer))
        .extracting(Event::value)
        .containsExactly((long) RendezvousStatus.E_INVALID_TTL.code());
  }

  /** Defaults but for where it keeps its journal and where it listens. */
  private Map<String, String> settings(String name) {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", tmp.resolve(name).toString());
    p.put("node.listen", "/ip4/127.0.0.1/tcp/0");
    return p;
  }

  private String directoryAddress() {
    return directory.listenAddresses().get(0).toString();
  }

  private DirectoryService service() {
    return directory.directory().orElseThrow();
  }

  /** {@code peer}'s live registration in {@link #NS}, or null. */
  private Registration registered(PeerId peer) {
    return service().registrations(NS).stream()
        .filter(r -> r.peer().equals(peer))
        .findFirst()
        .orElse(null);
  }

  private Event registeredEvent(PeerId peer) {
    List<Event> events = of(peer, EventType.DIRECTORY_REGISTERED);
    assertThat(events).as("DIRECTORY_REGISTERED of " + peer).hasSize(1);
    assertThat(events.get(0).topic()).isEqualTo(NS);
    return events.get(0);
  }

  /** The registrations returned by each DISCOVER the directory answered {@code peer}. */
  private List<Long> answered(PeerId peer) {
    return of(peer, EventType.DIRECTORY_DISCOVER_ANSWERED).stream().map(Event::value).toList();
  }

  private List<String> unregisteredTexts(PeerId peer) {
    return of(peer, EventType.DIRECTORY_UNREGISTERED).stream().map(Event::text).toList();
  }

  private List<Event> refusals(PeerId peer) {
    return of(peer, EventType.DIRECTORY_REFUSED);
  }

  private List<Event> of(PeerId peer, EventType type) {
    return NodeJournals.events(directory, type).stream()
        .filter(e -> Arrays.equals(e.peer(), peer.bytes()))
        .toList();
  }

  private static List<String> recordAddresses(byte[] envelope) {
    try {
      return PeerRecord.open(envelope).addresses().stream().map(Multiaddr::toString).toList();
    } catch (io.meshlog.node.p2p.InvalidRecordException e) {
      throw new AssertionError("the directory holds a record that does not open", e);
    }
  }

  private static String withoutPeerId(String address) {
    return Multiaddr.parse(address).withoutPeerId().toString();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
