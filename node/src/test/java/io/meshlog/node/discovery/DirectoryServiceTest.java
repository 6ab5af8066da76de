package io.meshlog.node.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.PeerRecord;
import io.meshlog.node.p2p.SignedEnvelope;
import io.meshlog.node.p2p.factory.Hosts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real directory (host on 127.0.0.1, journal on disk) against real client hosts: what it accepts,
 * what it refuses with which status, that each refusal is journaled and leaves others served, and
 * that the table comes back from the journal.
 */
@Timeout(60)
class DirectoryServiceTest {

  private static final String TOPIC = "chat";

  @TempDir Path tmp;

  private final DiscoveryConfig config =
      DiscoveryConfig.builder()
          .role(DiscoveryConfig.Role.DIRECTORY)
          .minTtl(Duration.ofSeconds(10))
          .maxTtl(Duration.ofHours(1))
          .maxNamespaceLength(32)
          .maxRegistrationsPerPeer(2)
          .discoverRate(1)
          .discoverBurst(5)
          .registerRate(1)
          .registerBurst(10)
          .build()
          .validate();
  private final Identity directoryId = Identity.generate();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private Journal journal;
  private Host directoryHost;
  private DirectoryService directory;

  @BeforeEach
  void startDirectory() {
    startDirectoryOn(tmp.resolve("journal"));
  }

  private void startDirectoryOn(Path dir) {
    journal = Journals.open(JournalConfig.builder(dir).build(), List.of());
    directoryHost = Hosts.start(localhost(), directoryId, journal.sink());
    directory =
        DirectoryService.start(
            directoryHost, config, journal.sink(), journal.reader(), DirectoryServiceTest::now);
  }

  private void stopDirectory() {
    directory.close();
    directoryHost.close();
    journal.close();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    stopDirectory();
    timer.shutdownNow();
    assertThat(timer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  private static HostConfig localhost() {
    return HostConfig.builder().listenAddresses(List.of("/ip4/127.0.0.1/tcp/0")).build();
  }

  private static long now() {
    return System.currentTimeMillis() * 1_000_000L;
  }

  /** A client host connected to the directory. */
  private Client client() throws Exception {
    Identity id = Identity.generate();
    Host host = Hosts.start(localhost(), id, EventSink.NOOP);
    open.add(host);
    host.dial(directoryHost.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
    return new Client(id, host, new RendezvousClient(host, Duration.ofSeconds(10), timer));
  }

  private record Client(Identity id, Host host, RendezvousClient rv) {
    PeerRecord record() {
      return PeerRecord.sign(id, host.listenAddresses(), System.nanoTime());
    }
  }

  private RendezvousClient.Registered register(Client c, String ns, byte[] envelope, long ttl)
      throws Exception {
    return c.rv().register(directoryId.peerId(), ns, envelope, ttl).get(10, TimeUnit.SECONDS);
  }

  private RendezvousClient.Discovered discover(Client c, String ns, int limit, byte[] cookie)
      throws Exception {
    return c.rv().discover(directoryId.peerId(), ns, limit, cookie).get(10, TimeUnit.SECONDS);
  }

  private List<Event> journaled(EventType type) {
    List<Event> out = new ArrayList<>();
    try (JournalReader r = journal.reader()) {
      Event e = new Event();
      while (r.next(e) >= 0) {
        if (e.type() == type) {
          Event copy = new Event().copyFrom(e); // the reader reuses its arrays
          copy.peer(e.peer() == null ? null : e.peer().clone());
          out.add(copy);
        }
      }
    }
    return out;
  }

  private void awaitRefusal(String text) {
    Await.until(
        "DIRECTORY_REFUSED journaled with " + text,
        () ->
            journaled(EventType.DIRECTORY_REFUSED).stream().anyMatch(e -> e.text().contains(text)));
  }

  @Test
  void shouldRegisterDiscoverPageWithCookieAndUnregister() throws Exception {
    Client a = client();
    Client b = client();
    Client c = client();
    assertThat(register(a, TOPIC, a.record().bytes(), 60).status()).isEqualTo(RendezvousStatus.OK);
    assertThat(register(b, TOPIC, b.record().bytes(), 0).status())
        .as("no TTL means the spec's 2h, above this directory's 1h")
        .isEqualTo(RendezvousStatus.E_INVALID_TTL);
    assertThat(register(b, TOPIC, b.record().bytes(), 120).ttlSeconds()).isEqualTo(120);

    RendezvousClient.Discovered first = discover(c, TOPIC, 1, null);
    assertThat(first.status()).isEqualTo(RendezvousStatus.OK);
    assertThat(first.entries())
        .extracting(e -> e.record().peerId())
        .containsExactly(a.id().peerId());
    RendezvousClient.Discovered second = discover(c, TOPIC, 10, first.cookie());
    assertThat(second.entries())
        .extracting(e -> e.record().peerId())
        .containsExactly(b.id().peerId());
    assertThat(second.entries().get(0).record().addresses()).isEqualTo(b.record().addresses());
    assertThat(discover(c, TOPIC, 10, second.cookie()).entries()).isEmpty();

    a.rv().unregister(directoryId.peerId(), TOPIC).get(10, TimeUnit.SECONDS);
    Await.until("a unregistered", () -> directory.registrations(TOPIC).size() == 1);
    // The journal writes behind the directory: wait for the record, not only the table.
    Await.until(
        "the unregistration journaled",
        () ->
            journaled(EventType.DIRECTORY_UNREGISTERED).stream()
                .anyMatch(e -> "unregister".equals(e.text())));
    assertThat(journaled(EventType.DIRECTORY_REGISTERED)).hasSize(2);
  }

  @Test
  void shouldRefuseARecordOfAnotherPeerAndABadSignatureButServeOthers() throws Exception {
    Client mallory = client();
    Client victim = client();
    Client honest = client();

    RendezvousClient.Registered forged = register(mallory, TOPIC, victim.record().bytes(), 60);
    byte[] flipped = mallory.record().bytes();
    flipped[flipped.length - 1] ^= 1;
    RendezvousClient.Registered badSig = register(mallory, TOPIC, flipped, 60);
    RendezvousClient.Registered garbage = register(mallory, TOPIC, new byte[] {1, 2, 3}, 60);
    RendezvousClient.Registered ok = register(honest, TOPIC, honest.record().bytes(), 60);

    assertThat(forged.status()).isEqualTo(RendezvousStatus.E_NOT_AUTHORIZED);
    assertThat(badSig.status()).isEqualTo(RendezvousStatus.E_INVALID_SIGNED_PEER_RECORD);
    assertThat(badSig.text()).contains("signature");
    assertThat(garbage.status()).isEqualTo(RendezvousStatus.E_INVALID_SIGNED_PEER_RECORD);
    assertThat(ok.status()).isEqualTo(RendezvousStatus.OK);
    assertThat(directory.registrations(TOPIC))
        .extracting(Registration::peer)
        .containsExactly(honest.id().peerId());
    awaitRefusal("not the sender");
    awaitRefusal("signature does not verify");
    assertThat(journaled(EventType.DIRECTORY_REFUSED))
        .allSatisfy(e -> assertThat(e.peer()).isEqualTo(mallory.id().peerId().bytes()));
  }

  @Test
  void shouldRefuseAnEnvelopeOfAnotherPayloadType() throws Exception {
    Client c = client();
    byte[] other =
        SignedEnvelope.seal(c.id(), PeerRecord.DOMAIN, new byte[] {0x42}, new byte[] {1}).bytes();

    assertThat(register(c, TOPIC, other, 60).status())
        .isEqualTo(RendezvousStatus.E_INVALID_SIGNED_PEER_RECORD);
  }

  @Test
  void shouldRefuseOversizeNamespacesAndTtlsOutOfBounds() throws Exception {
    Client c = client();
    byte[] record = c.record().bytes();

    assertThat(register(c, "x".repeat(33), record, 60).status())
        .isEqualTo(RendezvousStatus.E_INVALID_NAMESPACE);
    assertThat(register(c, "", record, 60).status())
        .isEqualTo(RendezvousStatus.E_INVALID_NAMESPACE);
    assertThat(register(c, TOPIC, record, 3601).status()).isEqualTo(RendezvousStatus.E_INVALID_TTL);
    assertThat(register(c, TOPIC, record, 9).status()).isEqualTo(RendezvousStatus.E_INVALID_TTL);
    assertThat(register(c, TOPIC, record, Long.MAX_VALUE).status())
        .isEqualTo(RendezvousStatus.E_INVALID_TTL);
    assertThat(discover(c, "y".repeat(33), 10, null).status())
        .isEqualTo(RendezvousStatus.E_INVALID_NAMESPACE);
    assertThat(discover(c, TOPIC, 10, new byte[] {9, 9}).status())
        .isEqualTo(RendezvousStatus.E_INVALID_COOKIE);
    assertThat(directory.size()).isZero();
    awaitRefusal("ttl 3601s outside 10..3600s");
    awaitRefusal("namespace must be 1..32 bytes");
  }

  @Test
  void shouldRefuseRegistrationsBeyondThePerPeerLimit() throws Exception {
    Client c = client();
    byte[] record = c.record().bytes();
    assertThat(register(c, "a", record, 60).status()).isEqualTo(RendezvousStatus.OK);
    assertThat(register(c, "b", record, 60).status()).isEqualTo(RendezvousStatus.OK);

    assertThat(register(c, "c", record, 60).status()).isEqualTo(RendezvousStatus.E_NOT_AUTHORIZED);
    assertThat(register(c, "a", record, 60).status())
        .as("a refresh is not a new one")
        .isEqualTo(RendezvousStatus.OK);
    awaitRefusal("peer holds 2 registrations already");
  }

  @Test
  void shouldRefuseADiscoverFloodFromOnePeerAndKeepAnsweringOthers() throws Exception {
    Client flooder = client();
    Client other = client();
    assertThat(register(other, TOPIC, other.record().bytes(), 60).status())
        .isEqualTo(RendezvousStatus.OK);

    int refused = 0;
    long started = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      if (discover(flooder, TOPIC, 10, null).status() == RendezvousStatus.E_UNAVAILABLE) {
        refused++;
      }
    }
    // A burst of 5, then 1 a second: the answered ones are bounded by how long the flood took,
    // which a busy machine stretches.
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    assertThat(50 - refused)
        .as("answered in %d s", seconds)
        .isLessThanOrEqualTo(5 + 1 + (int) seconds);
    assertThat(refused).as("most of a fast flood is refused").isPositive();
    RendezvousClient.Discovered answer = discover(other, TOPIC, 10, null);
    assertThat(answer.status()).isEqualTo(RendezvousStatus.OK);
    assertThat(answer.entries()).hasSize(1);
    awaitRefusal("DISCOVER: rate above");
    assertThat(journaled(EventType.DIRECTORY_REFUSED).size())
        .as("a flood is journaled once per second, not once per request")
        .isLessThan(10);
  }

  @Test
  void shouldRefuseARegisterFloodFromOnePeerAndKeepServingOthers() throws Exception {
    Client flooder = client();
    Client other = client();
    byte[] record = flooder.record().bytes();

    int refused = 0;
    long started = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      RendezvousClient.Registered answer = register(flooder, TOPIC, record, 60);
      if (answer.status() == RendezvousStatus.E_UNAVAILABLE) {
        refused++;
      } else {
        assertThat(answer.status()).isEqualTo(RendezvousStatus.OK);
      }
    }
    // A burst of 10, then 1 a second.
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    int accepted = 50 - refused;
    assertThat(accepted)
        .as("accepted in %d s", seconds)
        .isLessThanOrEqualTo(10 + 1 + (int) seconds);
    assertThat(refused).as("most of a fast flood is refused").isPositive();
    assertThat(register(other, TOPIC, other.record().bytes(), 60).status())
        .as("another peer is still served")
        .isEqualTo(RendezvousStatus.OK);
    awaitRefusal("REGISTER: rate above 1.0/s");
    assertThat(journaled(EventType.DIRECTORY_REFUSED).size())
        .as("a flood is journaled once per second, not once per request")
        .isLessThan(10);
    Await.until(
        "the other peer's registration journaled",
        () ->
            journaled(EventType.DIRECTORY_REGISTERED).stream()
                .anyMatch(e -> Arrays.equals(e.peer(), other.id().peerId().bytes())));
    assertThat(
            journaled(EventType.DIRECTORY_REGISTERED).stream()
                .filter(e -> Arrays.equals(e.peer(), flooder.id().peerId().bytes())))
        .as("only the accepted REGISTERs are journaled")
        .hasSize(accepted);
  }

  @Test
  void shouldRebuildItsRegistrationsFromTheJournalAtStart() throws Exception {
    Client a = client();
    Client b = client();
    register(a, TOPIC, a.record().bytes(), 600);
    register(b, TOPIC, b.record().bytes(), 600);
    register(b, "other", b.record().bytes(), 600);
    b.rv().unregister(directoryId.peerId(), "other").get(10, TimeUnit.SECONDS);
    Await.until("b left other", () -> directory.registrations("other").isEmpty());
    List<Registration> before = directory.registrations(TOPIC);

    stopDirectory();
    startDirectoryOn(tmp.resolve("journal"));

    assertThat(directory.registrations(TOPIC))
        .extracting(Registration::peer, Registration::expiresAtNanos, Registration::number)
        .containsExactlyElementsOf(
            before.stream()
                .map(
                    r ->
                        org.assertj.core.groups.Tuple.tuple(
                            r.peer(), r.expiresAtNanos(), r.number()))
                .toList());
    assertThat(directory.topics()).containsExactly(TOPIC);
    Client c = client();
    register(c, TOPIC, c.record().bytes(), 600);
    assertThat(directory.registrations(TOPIC).get(2).number())
        .as("numbers keep rising after a restart, so old cookies stay valid")
        .isGreaterThan(before.get(1).number());
  }

  @Test
  void shouldLetTheOperatorUnregisterAndJournalIt() throws Exception {
    Client a = client();
    register(a, TOPIC, a.record().bytes(), 600);

    assertThat(directory.unregister(a.id().peerId(), TOPIC)).isTrue();
    assertThat(directory.unregister(a.id().peerId(), TOPIC)).isFalse();

    assertThat(directory.discover(TOPIC)).isEmpty();
    Await.until(
        "operator removal journaled",
        () ->
            journaled(EventType.DIRECTORY_UNREGISTERED).stream()
                .anyMatch(e -> "operator".equals(e.text())));
  }
}
