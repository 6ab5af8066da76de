package io.meshlog.eventlog.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test that logs an unexpected ERROR line or leaves one of meshlog's threads running, as
 * Chronicle's own tests do. Registered for every test of a module by JUnit's extension
 * auto-detection (see {@code junit-platform.properties}).
 *
 * <p>Threads that the libraries keep for the life of the JVM (Chronicle's, Netty's global ones,
 * JMX/RMI's, the JDK's) are allowed by name; any other thread started while a test class ran must
 * end within {@link #THREAD_GRACE} of the class's end (class, not method: a class-level fixture
 * such as a shared event loop starts its threads during the first test and stops them after the
 * last). ERROR lines are allowed only as declared by {@link ExpectErrorLogs} on the test method or
 * class.
 */
public final class TestGuard
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  /** How long a thread a test started may take to end after the test. */
  public static final Duration THREAD_GRACE = Duration.ofSeconds(10);

  /** Name prefixes of threads that libraries and the JDK keep alive on purpose. */
  private static final List<String> ALLOWED_THREADS =
      List.of(
          // JDK and test runner
          "Reference Handler",
          "Finalizer",
          "Signal Dispatcher",
          "Common-Cleaner",
          "Attach Listener",
          "Notification Thread",
          "process reaper",
          "ForkJoinPool.commonPool",
          "surefire",
          "junit",
          "Keep-Alive",
          "HttpClient",
          "DestroyJavaVM",
          "main",
          "Timer-",
          // JMX and RMI
          "RMI ",
          "JMX ",
          "GC Daemon",
          "RMI Scheduler",
          "ClientNotifForwarder",
          // Chronicle
          "chronicle",
          "Chronicle",
          "queue-thread-local-cleaner",
          "disk-space-checker",
          "~",
          "background~",
          "event-loop-monitor",
          "closer",
          // Netty's JVM-wide helpers
          "globalEventExecutor",
          "ObjectCleanerThread",
          "threadDeathWatcher",
          // Micrometer, Logback
          "logback");

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(TestGuard.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NS).put("threads", liveThreads());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    ErrorRecorder recorder = new ErrorRecorder();
    recorder.start();
    root().addAppender(recorder);
    ExtensionContext.Store store = context.getStore(NS);
    store.put("recorder", recorder);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NS);
    ErrorRecorder recorder = store.get("recorder", ErrorRecorder.class);
    root().detachAppender(recorder);
    recorder.stop();
    if (context.getExecutionException().isPresent()) {
      return; // the test failed already; its own failure is the one to read
    }
    List<String> unexpected = new ArrayList<>();
    List<String> allowed = expected(context);
    for (String message : recorder.messages) {
      if (allowed.stream().noneMatch(message::contains)) {
        unexpected.add(message);
      }
    }
    if (!unexpected.isEmpty()) {
      throw new AssertionError("unexpected ERROR log lines: " + unexpected);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    @SuppressWarnings("unchecked")
    Set<Thread> before = context.getStore(NS).get("threads", Set.class);
    if (before == null) {
      return;
    }
    List<Thread> leaked = leakedSince(before);
    long deadline = System.nanoTime() + THREAD_GRACE.toNanos();
    while (!leaked.isEmpty() && System.nanoTime() < deadline) {
      try {
        leaked.get(0).join(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      leaked = leakedSince(before);
    }
    if (!leaked.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (Thread t : leaked) {
        names.add(t.getName());
      }
      throw new AssertionError(
          "threads still running " + THREAD_GRACE + " after the test: " + names);
    }
  }

  private static List<Thread> leakedSince(Set<Thread> before) {
    List<Thread> leaked = new ArrayList<>();
    for (Thread t : liveThreads()) {
      if (!before.contains(t) && t.isAlive() && !allowed(t.getName())) {
        leaked.add(t);
      }
    }
    return leaked;
  }

  private static boolean allowed(String name) {
    for (String prefix : ALLOWED_THREADS) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static Set<Thread> liveThreads() {
    return new HashSet<>(Thread.getAllStackTraces().keySet());
  }

  private static List<String> expected(ExtensionContext context) {
    List<String> allowed = new ArrayList<>();
    add(allowed, context.getTestMethod().map(m -> (AnnotatedElement) m));
    add(allowed, context.getTestClass().map(c -> (AnnotatedElement) c));
    return allowed;
  }

  private static void add(List<String> into, Optional<AnnotatedElement> element) {
    element
        .map(e -> e.getAnnotation(ExpectErrorLogs.class))
        .ifPresent(a -> into.addAll(List.of(a.value())));
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** Keeps the formatted message of every ERROR event, from any thread. */
  private static final class ErrorRecorder extends AppenderBase<ILoggingEvent> {
    final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
        messages.add(event.getLoggerName() + ": " + event.getFormattedMessage());
      }
    }
  }
}
