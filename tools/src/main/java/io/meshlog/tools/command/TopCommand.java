package io.meshlog.tools.command;

import io.meshlog.eventlog.config.SettingValues;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.process.JmxTarget;
import io.meshlog.tools.process.NodeUnreachableException;
import io.meshlog.tools.process.ShutdownSignals;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshlog top}: a live view of one running node over its remote JMX, refreshed every {@code
 * --interval}: who it is and how it is, its journal's positions and rate, its topics and its peers
 * (docs/top.md). The node is found as {@code meshlog health} finds it ({@link JmxTarget}).
 *
 * <pre>
 *   sample ──interval── sample ──interval── sample ...
 *          └── frame ──┘       └── frame ──┘          rates: change of totals / interval
 * </pre>
 *
 * <p>On a terminal each frame redraws the screen (cursor home, clear); piped, frames follow one
 * another separated by a blank line, without escape codes; {@code --format json} prints each frame
 * as one line. {@code --once} prints one frame, two samples one interval apart, and exits.
 * SIGINT/SIGTERM (Ctrl-C) ends the loop and exits 0. Exit 2 when the node cannot be reached at the
 * start (the message names where top looked), when it stops answering during {@code --once}, or for
 * a bad option. A node that goes away while top watches it is shown as unreachable ({@link
 * TopOutage}) and looked for again every interval, so top outlives a restart of its node.
 */
@Command(
    name = "top",
    mixinStandardHelpOptions = true,
    description = {
      "A live view of one running node over JMX: health, journal, topics, peers, rates.",
      "Finds the node by --jmx HOST:PORT or by --data-dir (its consoles.properties)."
    })
public final class TopCommand implements Callable<Integer> {
  /** ANSI: cursor home; erase to the end of the line; erase to the end of the screen. */
  private static final String HOME = "\033[H";

  private static final String ERASE_LINE = "\033[K";
  private static final String ERASE_BELOW = "\033[J";

  /** Output formats. */
  enum Format {
    text,
    json
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin NodeTargetOptions node;

  @Option(
      names = "--interval",
      defaultValue = "1s",
      description =
          "Time between refreshes, and the span of every rate (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--once", description = "Print one frame (two samples an interval apart), exit.")
  boolean once;

  @Option(
      names = "--format",
      defaultValue = "text",
      description =
          "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); json: one"
              + " object per line, per frame.")
  Format format;

  @Option(
      names = "--width",
      defaultValue = "160",
      description = "Columns of the text view; longer lines are cut (default: ${DEFAULT-VALUE}).")
  int width;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Duration every;
    Duration wait;
    JmxTarget target;
    try {
      every = SettingValues.duration("--interval", interval);
      wait = node.timeout();
      if (every.isZero() || every.isNegative() || width < 20) {
        throw new IllegalArgumentException("--interval must be positive and --width at least 20");
      }
      target = target();
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage(e.getMessage());
    } catch (NodeUnreachableException e) {
      throw unreachable(e);
    }
    CountDownLatch stop = new CountDownLatch(1);
    if (!once) {
      ShutdownSignals.onTermOrInt(stop::countDown);
    }
    boolean terminal = !once && format == Format.text && interactive();
    JmxTarget.Session session = null;
    try {
      session = target.open(wait);
      TopSample before = session.read(wait, TopSample::read);
      long attempted = before.nanos();
      TopOutage outage = null;
      int frames = 0;
      // Each wait ends one interval after the last attempt, so frames keep to the interval however
      // long the node takes to answer.
      while (!stop.await(every.toNanos() - (System.nanoTime() - attempted), TimeUnit.NANOSECONDS)) {
        if (outage == null) {
          try {
            TopSample now = session.read(wait, TopSample::read);
            print(out, new TopFrame(before, now), terminal, frames++);
            before = now;
            if (once) {
              break;
            }
          } catch (NodeUnreachableException e) {
            if (once) {
              throw unreachable(e);
            }
            session.close();
            session = null;
            long millis = System.currentTimeMillis();
            outage = new TopOutage(before.node().peerId(), millis, millis, e.getMessage());
            print(out, outage, terminal, frames++, true);
          }
          attempted = System.nanoTime();
          continue;
        }
        // The node went away: find it again as at the start (a restarted node writes a new
        // consoles file) and begin again from a first sample, since its totals restart with it.
        try {
          session = target().open(wait);
          before = session.read(wait, TopSample::read);
          attempted = before.nanos();
          outage = null;
        } catch (NodeUnreachableException | IllegalArgumentException e) {
          if (session != null) {
            session.close();
            session = null;
          }
          outage = outage.again(System.currentTimeMillis(), e.getMessage());
          print(out, outage, terminal, frames++, false);
          attempted = System.nanoTime();
        }
      }
      return ExitCode.OK;
    } catch (NodeUnreachableException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.OK;
    } finally {
      if (session != null) {
        session.close();
      }
    }
  }

  private JmxTarget target() throws NodeUnreachableException {
    Optional<JmxTarget> byAddress = node.byAddress();
    if (byAddress.isPresent()) {
      return byAddress.get();
    }
    return node.byConsoles(node.liveConsoles())
        .orElseThrow(
            () ->
                new NodeUnreachableException(
                    "the node in "
                        + node.dataDir().orElseThrow()
                        + " runs without remote JMX: set jmx.port (--jmx-port) to watch it",
                    ""));
  }

  /**
   * Whether stdin and stdout are a terminal. Before JDK 22 that is what a console means; from JDK
   * 22 on a JDK may give a console to a redirected process too, and {@code Console.isTerminal()}
   * (looked up, as the build targets 17) tells.
   */
  private static boolean interactive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Console.isTerminal() failed", e);
    }
  }

  /** The node cannot be reached: exit code 2, as documented (README's table of exit codes). */
  private static CommandFailure unreachable(NodeUnreachableException e) {
    return CommandFailure.usage(e.getMessage());
  }

  private void print(PrintWriter out, TopFrame frame, boolean terminal, int index) {
    print(out, frame.json(), frame.text(width), terminal, index);
  }

  /**
   * An outage is printed at every failed attempt on a terminal (the elapsed time counts up) and in
   * JSON (one object per refresh); piped as text, only when the node is lost, not once a second
   * into a file.
   */
  private void print(PrintWriter out, TopOutage outage, boolean terminal, int index, boolean lost) {
    if (lost || terminal || format == Format.json) {
      print(out, outage.json(), outage.text(width, interval), terminal, index);
    }
  }

  private void print(PrintWriter out, String json, List<String> text, boolean terminal, int index) {
    if (format == Format.json) {
      out.println(json);
    } else if (terminal) {
      StringBuilder screen = new StringBuilder(HOME);
      for (String line : text) {
        screen.append(line).append(ERASE_LINE).append('\n');
      }
      out.print(screen.append(ERASE_BELOW));
    } else {
      if (index > 0) {
        out.println();
      }
      text.forEach(out::println);
    }
    out.flush();
  }
}
