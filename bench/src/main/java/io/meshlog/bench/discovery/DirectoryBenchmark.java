package io.meshlog.bench.discovery;

import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.node.discovery.DirectoryService;
import io.meshlog.node.discovery.DiscoveryConfig;
import io.meshlog.node.discovery.RendezvousClient;
import io.meshlog.node.discovery.RendezvousStatus;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.PeerRecord;
import io.meshlog.node.p2p.factory.Hosts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Directory capacity: how many REGISTERs and DISCOVERs per second one directory serves on this
 * machine, over real loopback connections, with its journal on disk. Clients pipeline up to {@code
 * window} requests each. Every answer is checked (a fast wrong run fails): each REGISTER must be
 * OK, the table must hold them all, each DISCOVER must return the one registration of its
 * namespace.
 */
public final class DirectoryBenchmark {

  /**
   * @param registrations total REGISTERs, each to its own namespace
   */
  public record Settings(int registrations, int discovers, int clients, int window) {}

  /** One round's rates. */
  public record Figures(double registrationsPerSecond, double discoversPerSecond) {
    @Override
    public String toString() {
      return String.format(
          "directory: %.0f registrations/s, %.0f DISCOVERs/s",
          registrationsPerSecond, discoversPerSecond);
    }
  }

  private DirectoryBenchmark() {}

  /** One round in {@code work} (a fresh journal directory). */
  public static Figures run(Settings s, Path work) throws Exception {
    DiscoveryConfig config =
        DiscoveryConfig.builder()
            .role(DiscoveryConfig.Role.DIRECTORY)
            .maxRegistrationsPerPeer(s.registrations())
            .maxRegistrationsPerNamespace(s.registrations())
            .maxRegistrations(s.registrations())
            .discoverRate(1e6)
            .discoverBurst(1_000_000)
            .build()
            .validate();
    HostConfig local =
        HostConfig.builder().listenAddresses(List.of("/ip4/127.0.0.1/tcp/0")).build();
    List<AutoCloseable> open = new ArrayList<>();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (Journal journal = Journals.open(JournalConfig.builder(work).build(), List.of())) {
      Identity dirId = Identity.generate();
      Host dirHost = Hosts.start(local, dirId, journal.sink());
      open.add(dirHost);
      DirectoryService directory =
          DirectoryService.start(
              dirHost, config, journal.sink(), journal.reader(), DirectoryBenchmark::now);
      open.add(0, directory);
      PeerId dir = dirId.peerId();
      List<RendezvousClient> clients = new ArrayList<>();
      List<PeerRecord> records = new ArrayList<>();
      for (int c = 0; c < s.clients(); c++) {
        Identity id = Identity.generate();
        Host h = Hosts.start(local, id, EventSink.NOOP);
        open.add(0, h);
        h.dial(dirHost.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        clients.add(new RendezvousClient(h, Duration.ofSeconds(30), timer));
        records.add(PeerRecord.sign(id, h.listenAddresses(), now()));
      }
      int perClient = s.registrations() / s.clients();
      long t0 = System.nanoTime();
      pipeline(
          s,
          perClient,
          c -> {
            RendezvousClient client = clients.get(c);
            PeerRecord record = records.get(c);
            return i ->
                client
                    .register(dir, "ns-" + c + "-" + i, record, 3600)
                    .thenApply(r -> r.status() == RendezvousStatus.OK);
          });
      long t1 = System.nanoTime();
      if (directory.size() != perClient * s.clients()) {
        throw new IllegalStateException(
            "directory holds " + directory.size() + " of " + perClient * s.clients());
      }
      int discoversPerClient = s.discovers() / s.clients();
      long t2 = System.nanoTime();
      pipeline(
          s,
          discoversPerClient,
          c -> {
            RendezvousClient client = clients.get(c);
            return i ->
                client
                    .discover(dir, "ns-" + c + "-" + (i % perClient), 10, null)
                    .thenApply(d -> d.status() == RendezvousStatus.OK && d.entries().size() == 1);
          });
      long t3 = System.nanoTime();
      return new Figures(
          perClient * s.clients() * 1e9 / (t1 - t0),
          discoversPerClient * s.clients() * 1e9 / (t3 - t2));
    } finally {
      for (AutoCloseable c : open) {
        c.close();
      }
      timer.shutdownNow();
    }
  }

  /**
   * Runs {@code perClient} requests on every client, {@code window} in flight each; all must pass.
   */
  private static void pipeline(
      Settings s, int perClient, IntFunction<IntFunction<CompletableFuture<Boolean>>> requests)
      throws Exception {
    AtomicLong failed = new AtomicLong();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    java.util.concurrent.ExecutorService senders = Executors.newFixedThreadPool(s.clients());
    for (int c = 0; c < s.clients(); c++) {
      IntFunction<CompletableFuture<Boolean>> request = requests.apply(c);
      Semaphore window = new Semaphore(s.window());
      CompletableFuture<Void> all =
          CompletableFuture.runAsync(
              () -> {
                List<CompletableFuture<Boolean>> sent = new ArrayList<>(perClient);
                for (int i = 0; i < perClient; i++) {
                  window.acquireUninterruptibly();
                  sent.add(
                      request
                          .apply(i)
                          .whenComplete(
                              (ok, e) -> {
                                if (e != null || !ok) {
                                  failed.incrementAndGet();
                                }
                                window.release();
                              }));
                }
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .exceptionally(e -> null)
                    .join();
              });
      done.add(all);
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " requests failed or were refused");
    }
  }

  private static long now() {
    return System.currentTimeMillis() * 1_000_000L;
  }
}
