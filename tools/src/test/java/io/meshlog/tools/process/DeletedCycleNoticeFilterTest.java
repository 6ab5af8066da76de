package io.meshlog.tools.process;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The command line's logging configuration ({@code logback.xml}) drops Chronicle's deleted-cycle
 * notice and nothing else. Read into a context of its own: a test class path may carry a test
 * configuration that would win.
 */
class DeletedCycleNoticeFilterTest {

  @Test
  void shouldDropOnlyTheDeletedCycleNotice() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    URL config = DeletedCycleNoticeFilter.class.getResource("/logback.xml");
    assertThat(config).as("tools' logback.xml").isNotNull();
    configurator.doConfigure(config);
    Logger chronicle = context.getLogger("net.openhft.chronicle.queue.impl.single.StoreTailer");
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.setContext(context);
    seen.start();
    chronicle.addAppender(seen);
    chronicle.setAdditive(false); // keep the lines off the console
    try {
      chronicle.error(
          "The current cycle seems to have been deleted from under the queue, scanning to find"
              + " the next remaining cycle, currentCycle=/x/20261201-221336T.cq4");
      chronicle.error("a damaged record");
    } finally {
      context.stop();
    }
    assertThat(seen.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("a damaged record");
  }
}
