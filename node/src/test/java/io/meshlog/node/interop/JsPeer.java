package io.meshlog.node.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A js-libp2p peer in a child process ({@code node peer.mjs}), driven by JSON lines: the reference
 * implementation meshlog's libp2p stack is tested against. See docs/interop.md for the commands,
 * events and what js-libp2p does on the wire. The js rendezvous client ({@link
 * JsPeerOptions#rendezvousClient}) speaks the same lines: a ready line, events, commands.
 *
 * <pre>
 *   JsPeer a = JsPeer.start(JsPeerOptions.defaults());      // waits for {"event":"ready",...}
 *   a.command("dial", Map.of("addr", b.addrs().get(0)), Duration.ofSeconds(10));
 *   a.awaitEvent(JsPeer.event("peer:connect"), Duration.ofSeconds(10));
 *   a.close();                                            // the process and its children are gone
 * </pre>
 *
 * <p>Thread-safe: commands may be sent from several threads at once; each waits for its own reply.
 * Events are queued (at most {@value #MAX_EVENTS}; the oldest are dropped beyond that) until a
 * matching {@link #awaitEvent} takes them. The last 64 KiB of the process's stderr are kept and
 * appear in every failure message.
 */
public final class JsPeer implements AutoCloseable {
  static final int MAX_EVENTS = 100_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration EXIT_GRACE = Duration.ofSeconds(5);

  private final String name;
  private final Process process;
  private final Writer stdin;
  private final TailBuffer stderr = new TailBuffer(64 * 1024);
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
  private final Object eventLock = new Object();
  private final ArrayDeque<JsonNode> events = new ArrayDeque<>(); // guarded by eventLock
  private long droppedEvents; // guarded by eventLock
  private boolean exited; // guarded by eventLock
  private final Thread stdoutReader;
  private final Thread stderrReader;
  private volatile boolean closed;
  private volatile boolean stdoutEnded;
  private String peerId;
  private List<String> addrs;
  private JsonNode readyLine;

  private JsPeer(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.stdoutReader =
        reader(name + "-stdout", process.getInputStream(), this::onStdoutLine, this::onStdoutEnd);
    this.stderrReader = reader(name + "-stderr", process.getErrorStream(), stderr::add, () -> {});
  }

  /** Starts a peer with js-libp2p's defaults; see {@link #start(JsPeerOptions)}. */
  public static JsPeer start() {
    return start(JsPeerOptions.defaults());
  }

  /**
   * Spawns {@code node peer.mjs} (or the program the options name) and waits, at most {@link
   * JsPeerOptions#withStartTimeout}, for its ready line.
   *
   * @throws JsPeerException if it cannot be spawned, exits, or is not ready in time (the process is
   *     killed first)
   * @throws IllegalStateException if the js dependencies are not installed
   */
  public static JsPeer start(JsPeerOptions options) {
    List<String> command = new ArrayList<>();
    command.add(JsRuntime.nodeExecutable());
    command.add(options.program().script());
    command.addAll(options.arguments());
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(options.program().dir().toFile());
    builder.environment().putAll(options.env());
    String name = "jspeer-" + SEQUENCE.incrementAndGet();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new JsPeerException("cannot start " + command + ": " + e.getMessage(), e);
    }
    JsPeer peer = new JsPeer(name, process);
    peer.stdoutReader.start();
    peer.stderrReader.start();
    try {
      JsonNode ready = peer.ready.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
      peer.readyLine = ready;
      peer.peerId = ready.path("peerId").asText();
      List<String> addrs = new ArrayList<>();
      ready.path("addrs").forEach(a -> addrs.add(a.asText()));
      peer.addrs = List.copyOf(addrs);
      return peer;
    } catch (TimeoutException e) {
      peer.close();
      throw new JsPeerException(
          name + " was not ready within " + options.startTimeout() + peer.stderrReport(), e);
    } catch (ExecutionException e) {
      peer.close();
      throw new JsPeerException(name + " did not start: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      peer.close();
      Thread.currentThread().interrupt();
      throw new JsPeerException(name + ": interrupted while starting", e);
    }
  }

  /** The peer id, base58 ({@code 12D3KooW...}). */
  public String peerId() {
    return peerId;
  }

  /** Listen addresses, each ending in {@code /p2p/<peerId>}. */
  public List<String> addrs() {
    return addrs;
  }

  /** The whole ready line, including the {@code options} the peer runs with. */
  public JsonNode readyLine() {
    return readyLine;
  }

  /** The first listen address, {@code /ip4/127.0.0.1/tcp/<port>/p2p/<peerId>}. */
  public String addr() {
    return addrs.get(0);
  }

  /**
   * Sends one command and waits for its reply.
   *
   * @return the reply's {@code result}
   * @throws JsPeerException with js's error text if the command failed, or if no reply came within
   *     the timeout or the process exited first
   */
  public JsonNode command(String name, Map<String, ?> args, Duration timeout) {
    long id = nextId.getAndIncrement();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    if (stdoutEnded) {
      pending.remove(id);
      throw new JsPeerException(this.name + " has exited; cannot run " + name + stderrReport());
    }
    ObjectNode request = JSON.createObjectNode();
    request.put("id", id);
    request.put("cmd", name);
    request.set("args", JSON.valueToTree(args));
    try {
      synchronized (stdin) {
        stdin.write(JSON.writeValueAsString(request));
        stdin.write('\n');
        stdin.flush();
      }
      JsonNode answer = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!answer.path("ok").asBoolean(false)) {
        throw new JsPeerException(
            this.name + ": command " + name + args + " failed: " + answer.path("error").asText());
      }
      return answer.path("result");
    } catch (IOException e) {
      throw new JsPeerException(this.name + ": cannot send " + name + stderrReport(), e);
    } catch (TimeoutException e) {
      String events;
      synchronized (eventLock) {
        events = recentEvents();
      }
      throw new JsPeerException(
          this.name
              + ": command "
              + name
              + " got no answer within "
              + timeout
              + "; queued events: "
              + events
              + stderrReport(),
          e);
    } catch (ExecutionException e) {
      throw new JsPeerException(this.name + ": command " + name + ": " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JsPeerException(this.name + ": interrupted waiting for " + name, e);
    } finally {
      pending.remove(id);
    }
  }

  /** {@link #command(String, Map, Duration)} with a 10 s timeout. */
  public JsonNode command(String name, Map<String, ?> args) {
    return command(name, args, DEFAULT_TIMEOUT);
  }

  /** Dials a multiaddr; returns the connection as js describes it (peer, direction, ...). */
  public JsonNode dial(String multiaddr) {
    return command("dial", Map.of("addr", multiaddr));
  }

  /** Round-trip time of one {@code /ipfs/ping/1.0.0} exchange, in milliseconds. */
  public double ping(String peer) {
    return command("ping", Map.of("peer", peer)).path("rttMs").asDouble();
  }

  public void subscribe(String topic) {
    command("subscribe", Map.of("topic", topic));
  }

  /** Publishes; returns the message id as js computes it, base64 (see docs/interop.md). */
  public String publish(String topic, byte[] data) {
    String encoded = Base64.getEncoder().encodeToString(data);
    return command("publish", Map.of("topic", topic, "data", encoded)).path("msgId").asText();
  }

  /**
   * Peer ids js knows to be subscribed to a topic (base58): the peers js's flood publish sends to.
   * Its mesh can already hold a peer whose subscription it has not yet processed.
   */
  public List<String> subscribers(String topic) {
    List<String> peers = new ArrayList<>();
    command("getSubscribers", Map.of("topic", topic)).forEach(p -> peers.add(p.asText()));
    return peers;
  }

  /** Peer ids in js's mesh for a topic. */
  public List<String> meshPeers(String topic) {
    List<String> peers = new ArrayList<>();
    command("meshPeers", Map.of("topic", topic)).forEach(p -> peers.add(p.asText()));
    return peers;
  }

  /**
   * Takes the oldest queued event that matches, waiting up to {@code timeout} for one to arrive.
   * Events that do not match stay queued for later calls.
   *
   * @throws JsPeerException if none matched in time or the process exited without one
   */
  public JsonNode awaitEvent(Predicate<JsonNode> predicate, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (eventLock) {
      while (true) {
        for (Iterator<JsonNode> it = events.iterator(); it.hasNext(); ) {
          JsonNode event = it.next();
          if (predicate.test(event)) {
            it.remove();
            return event;
          }
        }
        long remaining = deadline - System.nanoTime();
        if (exited || remaining <= 0) {
          throw new JsPeerException(
              name
                  + (exited ? " exited" : " saw no matching event within " + timeout)
                  + "; queued events: "
                  + recentEvents()
                  + stderrReport());
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(eventLock, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new JsPeerException(name + ": interrupted waiting for an event", e);
        }
      }
    }
  }

  /**
   * Removes and returns every queued event that matches, oldest first, without waiting; the others
   * stay queued.
   */
  public List<JsonNode> takeEvents(Predicate<JsonNode> predicate) {
    List<JsonNode> taken = new ArrayList<>();
    synchronized (eventLock) {
      for (Iterator<JsonNode> it = events.iterator(); it.hasNext(); ) {
        JsonNode event = it.next();
        if (predicate.test(event)) {
          it.remove();
          taken.add(event);
        }
      }
    }
    return taken;
  }

  /** Matches events of one type, e.g. {@code event("message")}. */
  public static Predicate<JsonNode> event(String type) {
    return e -> type.equals(e.path("event").asText());
  }

  /** Matches events of one type whose text field has the given value. */
  public static Predicate<JsonNode> event(String type, String field, String value) {
    return e -> type.equals(e.path("event").asText()) && value.equals(e.path(field).asText());
  }

  /** The last 64 KiB of what the process wrote to stderr. */
  public String stderr() {
    return stderr.text();
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for a program that ends by itself (the rendezvous client) to exit.
   *
   * @return its exit code
   * @throws JsPeerException if it is still running after {@code timeout}
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new JsPeerException(name + " still runs after " + timeout + stderrReport());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JsPeerException(name + ": interrupted waiting for its exit", e);
    }
  }

  /** The operating system's process handle (for tests that check nothing is left behind). */
  public ProcessHandle processHandle() {
    return process.toHandle();
  }

  /**
   * Stops the peer: closes its stdin (it then stops libp2p and exits), waits up to 5 s, then kills
   * it and any children. Idempotent; never throws.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      synchronized (stdin) {
        stdin.close();
      }
    } catch (IOException e) {
      stderr.add("[harness] closing stdin: " + e.getMessage());
    }
    try {
      if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        stderr.add("[harness] did not exit within " + EXIT_GRACE + ", killing it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      JsRuntime.killTree(process);
    }
  }

  @Override
  public String toString() {
    return name + "(" + peerId + ")";
  }

  private void onStdoutLine(String line) {
    JsonNode msg;
    try {
      msg = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      stderr.add("[stdout, not JSON] " + line);
      return;
    }
    if (msg.has("id") && msg.has("ok")) {
      CompletableFuture<JsonNode> reply = pending.get(msg.path("id").asLong());
      if (reply != null) {
        reply.complete(msg);
      }
      return;
    }
    if ("ready".equals(msg.path("event").asText())) {
      ready.complete(msg);
      return;
    }
    synchronized (eventLock) {
      if (events.size() >= MAX_EVENTS) {
        events.removeFirst();
        droppedEvents++;
      }
      events.addLast(msg);
      eventLock.notifyAll();
    }
  }

  private void onStdoutEnd() {
    stdoutEnded = true;
    try {
      // Let the last words on stderr (e.g. a start-up error) reach the report below.
      stderrReader.join(EXIT_GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (eventLock) {
      exited = true;
      eventLock.notifyAll();
    }
    String why = name + " exited" + exitCodeText() + stderrReport();
    ready.completeExceptionally(new JsPeerException(why));
    pending.values().forEach(f -> f.completeExceptionally(new JsPeerException(why)));
  }

  private String exitCodeText() {
    try {
      if (process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        return " with code " + process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "";
  }

  private String recentEvents() {
    StringBuilder out = new StringBuilder();
    if (droppedEvents > 0) {
      out.append("(").append(droppedEvents).append(" dropped) ");
    }
    int skip = Math.max(0, events.size() - 10);
    int i = 0;
    for (JsonNode e : events) {
      if (i++ >= skip) {
        out.append(e).append(' ');
      }
    }
    return events.isEmpty() ? out.append("none").toString() : out.toString();
  }

  private String stderrReport() {
    String text = stderr.text();
    return text.isEmpty() ? " (stderr empty)" : "\n--- " + name + " stderr ---\n" + text;
  }

  private Thread reader(
      String threadName, InputStream in, Consumer<String> onLine, Runnable onEnd) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  onLine.accept(line);
                }
              } catch (IOException | UncheckedIOException e) {
                stderr.add("[harness] " + threadName + ": " + e.getMessage());
              } finally {
                onEnd.run();
              }
            },
            threadName);
    thread.setDaemon(true);
    return thread;
  }
}
