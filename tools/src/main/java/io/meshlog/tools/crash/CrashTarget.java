package io.meshlog.tools.crash;

import io.meshlog.eventlog.JournalCounter;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.tools.process.NodeLogging;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The node the crash test kills: a {@link MeshlogNode} in its own JVM, started from {@code
 * key=value} settings given as arguments, that tells its parent on stdout what the journal has
 * accepted. Lines, in this order:
 *
 * <pre>
 *   started clock=&lt;Lamport clock after recovery&gt;
 *   ack &lt;node sequence of the last journaled event&gt;     (repeated, whenever it moves)
 *   meshed                                               (once it has a mesh peer in its topic)
 * </pre>
 *
 * An {@code ack} is printed only after the journal's writer published that position, that is after
 * the record is in the memory-mapped cycle file: the parent may count every event up to it as
 * acknowledged. Runs until killed; SIGTERM closes the node cleanly.
 */
public final class CrashTarget {
  private CrashTarget() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> props = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      props.put(a.substring(0, eq), a.substring(eq + 1));
    }
    NodeConfig config = NodeConfig.fromProperties(props);
    NodeLogging.toDataDir(config.logsDir(), config.log());
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    MeshlogNode node = MeshlogNode.start(config);
    // SIGTERM ends the last round: a clean stop, journaled as NODE_STOPPED. SIGKILL skips this.
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "crashtarget-stop"));
    out.println("started clock=" + node.clock().current());
    out.flush();
    String topic = config.topics().get(0);
    long acked = Long.MIN_VALUE;
    boolean meshed = false;
    long nextMeshCheck = 0;
    while (true) {
      long seq = node.journal().counter(JournalCounter.NODE_SEQUENCE);
      if (seq != acked) {
        acked = seq;
        out.println("ack " + seq);
        out.flush();
      }
      if (!meshed && System.nanoTime() >= nextMeshCheck) {
        meshed = !node.gossipsub().meshPeers(topic).get(5, TimeUnit.SECONDS).isEmpty();
        if (meshed) {
          out.println("meshed");
          out.flush();
        }
        nextMeshCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
      }
      Thread.sleep(2);
    }
  }
}
