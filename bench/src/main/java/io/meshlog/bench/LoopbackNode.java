package io.meshlog.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The settings every benchmark's node starts from. */
public final class LoopbackNode {

  private LoopbackNode() {}

  /**
   * A node with its data in {@code dir}, listening on 127.0.0.1 at a free port. Every node of a
   * benchmark shares 127.0.0.1, so P6 colocation scoring is off. A mutable map, for the caller's
   * own settings.
   */
  public static Map<String, String> settings(Path dir) {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", dir.toString());
    p.put("node.listen", "/ip4/127.0.0.1/tcp/0");
    p.put("gossipsub.score.ipColocationFactorThreshold", "1000");
    return p;
  }
}
