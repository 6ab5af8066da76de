package io.meshlog.tools.report;

import io.meshlog.reconciliation.replay.ReplayReport;
import java.io.PrintWriter;

/**
 * {@code meshlog replay --format csv}: the message table, one row per (message, node), RFC 4180
 * quoting, a header row first. Empty cells are absent values.
 */
public final class ReplayCsvWriter {
  public static final String HEADER =
      "messageId,topic,origin,originSeqno,lamport,finalSeq,canonicalPosition,publishTimeNanos,"
          + "firstDeliveryNanos,node,expected,delivered,via,route,position,index,timeNanos,delayNanos,"
          + "negativeDelay,forwarder,duplicates,deliveries";

  private ReplayCsvWriter() {}

  public static void write(ReplayReport r, PrintWriter out) {
    out.println(HEADER);
    StringBuilder sb = new StringBuilder(256);
    for (ReplayReport.MessageRow m : r.messages()) {
      for (ReplayReport.Delivery d : m.deliveries()) {
        sb.setLength(0);
        cell(sb, m.messageId());
        cell(sb, m.topic());
        cell(sb, m.origin());
        cell(sb, m.originSeqno());
        cell(sb, m.lamport());
        cell(sb, m.finalSeq());
        cell(sb, m.canonicalPosition());
        cell(sb, m.publishTimeNanos());
        cell(sb, m.firstDeliveryNanos());
        cell(sb, d.node());
        cell(sb, d.expected());
        cell(sb, d.delivered());
        cell(sb, d.via());
        cell(sb, d.route());
        cell(sb, d.position());
        cell(sb, d.index());
        cell(sb, d.timeNanos());
        cell(sb, d.delayNanos());
        cell(sb, d.negativeDelay());
        cell(sb, d.forwarder());
        cell(sb, d.duplicates());
        sb.append(d.deliveries());
        out.println(sb);
      }
    }
  }

  private static void cell(StringBuilder sb, Object v) {
    if (v != null) {
      String s = v.toString();
      if (s.indexOf(',') >= 0
          || s.indexOf('"') >= 0
          || s.indexOf('\n') >= 0
          || s.indexOf('\r') >= 0) {
        sb.append('"').append(s.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(s);
      }
    }
    sb.append(',');
  }
}
