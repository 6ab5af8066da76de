package io.meshlog.jmx;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * A process for consoles to watch: registers the meshlog MBeans over in-memory views, starts the
 * remote connector on the port given, prints {@code READY}, and runs until its stdin closes.
 *
 * <p>Arguments: jmx port, password file, access file.
 */
public final class ConsoleTargetMain {

  private ConsoleTargetMain() {}

  public static void main(String[] args) throws IOException {
    JmxServerConfig config =
        JmxServerConfig.defaults()
            .withJmx(Integer.parseInt(args[0]), Path.of(args[1]), Path.of(args[2]));
    try (MeshlogJmx jmx =
        MeshlogJmx.start(
            ManagementFactory.getPlatformMBeanServer(), config, new FakeViews().views())) {
      System.out.println("READY " + jmx.serviceUrl().orElseThrow());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Runs until the parent closes our stdin (or dies).
      }
    }
  }
}
