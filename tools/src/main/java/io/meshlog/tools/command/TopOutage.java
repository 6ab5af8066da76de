package io.meshlog.tools.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code meshlog top} shows while the node it watches does not answer: since when, why (the
 * last attempt's reason), and that it tries again every interval. As a JSON object it carries
 * {@code unreachable} where a frame carries {@code node} (docs/top.md).
 *
 * @param peerId the node's peer id when top has read it before, else empty
 * @param sinceMillis wall-clock time of the first failed sample
 * @param nowMillis wall-clock time of the latest failed attempt
 * @param reason why the latest attempt failed
 */
record TopOutage(String peerId, long sinceMillis, long nowMillis, String reason) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The same outage after one more failed attempt. */
  TopOutage again(long millis, String why) {
    return new TopOutage(peerId, sinceMillis, millis, why);
  }

  /** The object {@code --format json} prints for a failed refresh: one line. */
  String json() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("time", Instant.ofEpochMilli(nowMillis).toString());
    o.put("peerId", peerId);
    o.put("unreachable", reason);
    o.put("unreachableSince", Instant.ofEpochMilli(sinceMillis).toString());
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
  }

  /** The text view: the header line, the reason, and how top goes on; cut to {@code width}. */
  List<String> text(int width, String every) {
    long seconds = Math.max(0, (nowMillis - sinceMillis) / 1000);
    return List.of(
        clip(
            "meshlog top  "
                + (peerId.isEmpty() ? "(node)" : peerId)
                + "  UNREACHABLE for "
                + seconds
                + " s, since "
                + Instant.ofEpochMilli(sinceMillis),
            width),
        clip(reason, width),
        clip("trying again every " + every + "; Ctrl-C to stop", width));
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width);
  }
}
