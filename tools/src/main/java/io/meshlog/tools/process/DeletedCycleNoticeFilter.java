package io.meshlog.tools.process;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Chronicle Queue's ERROR line "the current cycle seems to have been deleted from under the
 * queue": it is what a journal reader meets each time retention deletes the cycle file it was in,
 * which is normal operation, not an error. meshlog's reader steps over the deleted cycle, and the
 * commands say how many events it could not read (e.g. {@code journal dump} on stderr). Every other
 * Chronicle line passes. Configured in {@code logback.xml}.
 */
public final class DeletedCycleNoticeFilter extends TurboFilter {
  private static final String NOTICE = "deleted from under the queue";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (logger != null
        && logger.getName().startsWith("net.openhft.chronicle.queue")
        && format != null
        && format.contains(NOTICE)) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
