package io.meshlog.tools.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/**
 * Prints benchmark figures as strict JSON lines: one object per line, its first key {@code bench}
 * naming the benchmark and {@code run} the part of it, then the figure record's own fields.
 */
public final class BenchReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Output format of a {@code meshlog bench} command. */
  public enum Format {
    text,
    json
  }

  private BenchReport() {}

  /** Writes {@code figures} (a record) as one JSON line. */
  public static void json(PrintWriter out, String bench, String run, Object figures) {
    ObjectNode line = JSON.createObjectNode().put("bench", bench).put("run", run);
    line.setAll((ObjectNode) JSON.valueToTree(figures));
    out.println(line);
    out.flush();
  }
}
