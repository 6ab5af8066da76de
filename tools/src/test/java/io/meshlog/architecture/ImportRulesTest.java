package io.meshlog.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The layering DESIGN.md draws, checked against the compiled main classes of every module (tools
 * depends on all of them, so its test class path holds them all).
 *
 * <pre>
 *   tools ─► jmx.adapter ─► node (root: the node process)
 *              │ implements
 *              ▼
 *            jmx.view ◄── jmx (entry points), jmx.internal (MBeans, Micrometer) ──► jmx.api
 *                     └─► gossipsub ─► p2p          each API package may use its own internal
 *                                                   packages; nothing else may
 *   reconciliation ─► eventlog (Chronicle, Disruptor, RocksDB each in one package)
 *   eventlog.disk (entry points) ─► eventlog.journal, eventlog.projection ─► eventlog
 * </pre>
 *
 * No two packages depend on each other, directly or round about ({@link
 * #shouldHaveNoCyclesBetweenPackages()}). A failure names every offending class and the dependency
 * that breaks the rule.
 */
class ImportRulesTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // The other modules come as directories (-am builds) or jars (a full reactor build);
          // their test jars hold test support, not main code.
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("io.meshlog");

  @Test
  void shouldFindTheMainClassesOfEveryModule() {
    for (String pkg :
        new String[] {
          "io.meshlog.eventlog",
          "io.meshlog.export.kafka",
          "io.meshlog.reconciliation",
          "io.meshlog.node",
          "io.meshlog.node.p2p",
          "io.meshlog.node.gossipsub",
          "io.meshlog.node.discovery",
          "io.meshlog.jmx",
          "io.meshlog.jmx.api",
          "io.meshlog.jmx.view",
          "io.meshlog.jmx.adapter",
          "io.meshlog.tools"
        }) {
      if (MAIN.stream().noneMatch(c -> c.getPackageName().equals(pkg))) {
        throw new AssertionError(
            "no main classes found in " + pkg + ": the rules would check nothing");
      }
    }
  }

  @Test
  void shouldKeepTheNodeProcessOnTop() {
    check(
        noClasses()
            .that()
            .resideOutsideOfPackages(
                "io.meshlog.node",
                "io.meshlog.jmx.adapter..",
                "io.meshlog.bench..",
                "io.meshlog.tools..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.meshlog.node")
            .because(
                "the node process (node's root package) is the top of node/; only jmx's"
                    + " adapters, the benchmarks that run real nodes, and tools use it"));
  }

  @Test
  void shouldUseInternalPackagesOnlyFromTheirOwnApi() {
    // Every X.internal.. of ours, also one added later: its users are X and X's subpackages.
    // The JMH benchmarks in bench/ measure internal primitives (crypto) on purpose.
    check(
        noClasses()
            .that()
            .resideOutsideOfPackage("io.meshlog.bench..")
            .should(reachIntoTheInternalsOfAnotherApi())
            .because("X.internal is the implementation of X alone"));
  }

  @Test
  void shouldFindTheInternalPackagesItGuards() {
    for (String pkg :
        new String[] {
          "io.meshlog.node.p2p.internal.transport",
          "io.meshlog.node.gossipsub.internal",
          "io.meshlog.node.discovery.internal",
          "io.meshlog.jmx.internal"
        }) {
      if (MAIN.stream().noneMatch(c -> c.getPackageName().equals(pkg))) {
        throw new AssertionError("no main classes found in " + pkg);
      }
    }
  }

  @Test
  void shouldKeepJmxViewsAndMxBeansFreeOfTheNode() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage("io.meshlog.jmx.api..", "io.meshlog.jmx.view..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.meshlog.jmx", "io.meshlog.jmx.internal..", "io.meshlog.jmx.adapter..")
            .because(
                "the MXBean interfaces and the views are the contracts the MBeans and the"
                    + " adapters meet; they depend on neither"));
  }

  @Test
  void shouldKeepP2pBelowGossipsub() {
    check(
        noClasses()
            .that()
            .resideInAPackage("io.meshlog.node.p2p..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.meshlog.node.gossipsub..")
            .because("p2p is the library-neutral libp2p layer that gossipsub runs on"));
  }

  @Test
  void shouldWallOffEachThirdPartyLibraryInOnePackage() {
    wall("net.openhft..", "io.meshlog.eventlog.journal..", "Chronicle Queue");
    wall("com.lmax.disruptor..", "io.meshlog.eventlog.journal..", "the Disruptor");
    wall("org.rocksdb..", "io.meshlog.eventlog.projection..", "RocksDB");
    wall("io.netty..", "io.meshlog.node.p2p.internal..", "Netty");
    wall("io.micrometer..", "io.meshlog.jmx.internal..", "Micrometer");
    wall("org.apache.kafka..", "io.meshlog.export.kafka..", "the Kafka client");
  }

  @Test
  void shouldKeepReconciliationOnTheEventModel() {
    // JournalSource opens a journal directory through eventlog.disk's Journals.openReader, the
    // one way in to a concrete reader; the analysis itself reads EventView and JournalReader.
    check(
        noClasses()
            .that()
            .resideInAPackage("io.meshlog.reconciliation..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.meshlog.eventlog.journal..",
                "io.meshlog.eventlog.projection..",
                "io.meshlog.export..",
                "io.meshlog.node..",
                "io.meshlog.jmx..",
                "io.meshlog.tools..")
            .because(
                "replay analysis reads events through eventlog's model and reader interfaces,"
                    + " whatever stored them"));
  }

  @Test
  void shouldReadNoClockInReconciliation() {
    DescribedPredicate<JavaClass> clocks =
        DescribedPredicate.describe(
            "a clock",
            c ->
                c.isEquivalentTo(Clock.class)
                    || c.isEquivalentTo(Instant.class)
                    || c.isEquivalentTo(LocalDateTime.class)
                    || c.isEquivalentTo(OffsetDateTime.class)
                    || c.isEquivalentTo(ZonedDateTime.class));
    check(
        noClasses()
            .that()
            .resideInAPackage("io.meshlog.reconciliation..")
            .should()
            .callMethod(System.class, "currentTimeMillis")
            .orShould()
            .callMethod(System.class, "nanoTime")
            .orShould()
            .callMethodWhere(
                DescribedPredicate.describe(
                    "now() of a java.time type",
                    call ->
                        call.getTarget().getName().equals("now")
                            && clocks.test(call.getTargetOwner())))
            .orShould()
            .dependOnClassesThat()
            .areAssignableTo(Clock.class)
            .because("reconciliation is replayable logic: time comes from events, as data"));
  }

  @Test
  void shouldHaveNoCyclesBetweenLayers() {
    check(
        slices()
            .matching("io.meshlog.node.(*)..")
            .should()
            .beFreeOfCycles()
            .because("p2p, gossipsub and the node process are layers, each below the next"));
    check(
        slices()
            .matching("io.meshlog.(*)..")
            .should()
            .beFreeOfCycles()
            .because("modules depend one way, as DESIGN.md's module table says"));
  }

  /**
   * Every package is its own slice, and no two packages depend on each other, directly or round
   * about. An API and its implementation meet in a package of their own: {@code p2p.factory} starts
   * the Netty host, {@code gossipsub.factory} the router; the value types of an API decode with
   * codecs that know nothing of it ({@code p2p.internal.record}, {@code gossipsub.internal.rpc}).
   */
  @Test
  void shouldHaveNoCyclesBetweenPackages() {
    check(
        slices()
            .matching("io.meshlog.(**)")
            .should()
            .beFreeOfCycles()
            .because("each package sits below the ones that use it"));
  }

  /**
   * Clashes with a library or JDK class we call that are accepted, each resolved by the code that
   * needs both writing the other's full name. None is left: the names say what differs, as the
   * libp2p stream ({@code ProtocolStream} beside {@code java.util.stream.Stream}), the crypto
   * interfaces ({@code Ed25519Signatures} beside BouncyCastle's {@code Ed25519}), jmx's server
   * settings ({@code JmxServerConfig} beside Micrometer's {@code JmxConfig}) and the journal's
   * {@code CycleFileRetention} beside {@code java.lang.annotation.Retention} do. This list only
   * shrinks.
   */
  private static final Set<String> KNOWN_LIBRARY_NAMES = Set.of();

  /**
   * Nested classes named as a wire format names its message, beside a class of ours of that name:
   * {@code Rpc.PeerInfo} is gossipsub's protobuf {@code PeerInfo} (PRUNE's peer exchange entry).
   */
  private static final Set<String> NESTED_PROTOCOL_NAMES =
      Set.of("io.meshlog.node.gossipsub.internal.rpc.Rpc$PeerInfo");

  @Test
  void shouldNameEachClassOnce() {
    Map<String, List<String>> ours = new TreeMap<>();
    Set<String> libraries = new TreeSet<>();
    for (JavaClass c : MAIN) {
      if (c.getPackageName().startsWith("io.meshlog.bench.jmh_generated")) {
        continue;
      }
      if (c.isTopLevelClass() && !c.getSimpleName().equals("package-info")) {
        ours.computeIfAbsent(c.getSimpleName(), k -> new ArrayList<>()).add(c.getName());
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass().getBaseComponentType();
        while (target.getEnclosingClass().isPresent()) {
          target = target.getEnclosingClass().get();
        }
        String name = target.getName();
        if (!name.startsWith("io.meshlog.")) {
          libraries.add(target.getSimpleName() + " " + name);
        }
      }
    }
    List<String> clashes = new ArrayList<>();
    ours.forEach(
        (name, classes) -> {
          if (classes.size() > 1) {
            clashes.add(name + ": " + classes);
          }
        });
    // A nested class named like one of our top-level classes sends a reader to the wrong one too.
    for (JavaClass c : MAIN) {
      if (c.isMemberClass()
          && ours.containsKey(c.getSimpleName())
          && !NESTED_PROTOCOL_NAMES.contains(c.getName())
          && !c.getPackageName().startsWith("io.meshlog.bench.jmh_generated")) {
        clashes.add(c.getSimpleName() + ": " + ours.get(c.getSimpleName()) + " and " + c.getName());
      }
    }
    Set<String> known = new TreeSet<>(KNOWN_LIBRARY_NAMES);
    for (String lib : libraries) {
      String simple = lib.substring(0, lib.indexOf(' '));
      if (ours.containsKey(simple) && known.remove(simple)) {
        continue;
      }
      if (ours.containsKey(simple) && !KNOWN_LIBRARY_NAMES.contains(simple)) {
        clashes.add(
            simple
                + ": "
                + ours.get(simple)
                + " and the library's "
                + lib.substring(simple.length() + 1));
      }
    }
    for (String gone : known) {
      clashes.add(gone + " no longer clashes: take it off KNOWN_LIBRARY_NAMES");
    }
    if (!clashes.isEmpty()) {
      throw new AssertionError(
          "a name says what one class is; these name two:\n  " + String.join("\n  ", clashes));
    }
  }

  /** A dependency on {@code X.internal..} from outside {@code X..}. */
  private static ArchCondition<JavaClass> reachIntoTheInternalsOfAnotherApi() {
    Pattern internal = Pattern.compile("^(io\\.meshlog\\..+?)\\.internal(\\..*)?$");
    return new ArchCondition<>("depend on the internal package of another API") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
          Matcher m = internal.matcher(d.getTargetClass().getPackageName());
          if (!m.matches()) {
            continue;
          }
          String api = m.group(1);
          String from = origin.getPackageName();
          if (!from.equals(api) && !from.startsWith(api + ".")) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }

  private static void wall(String library, String home, String name) {
    check(
        noClasses()
            .that()
            .resideOutsideOfPackage(home)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(library)
            .because(name + " stays inside " + home.replace("..", "")));
  }

  private static void check(ArchRule rule) {
    rule.check(MAIN);
  }
}
