package io.meshlog.eventlog.testing;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for child JVMs in tests: the test JVM's own {@code java} and class path, a main
 * class, and the JVM flags the test chooses. Kill tests, consoles and brokers run in child JVMs so
 * that a SIGKILL or a second JMX agent hits a process of their own.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** The {@code java} launcher of the JVM running the tests. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Every flag the test JVM was started with (heap, agents, {@code -D} properties included). */
  public static List<String> allFlags() {
    return List.copyOf(ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  /**
   * Only the test JVM's flags that open JDK internals to Chronicle and its peers ({@code --add-*},
   * {@code --enable-*}, {@code --sun-misc*}, {@code -Dchronicle*}); a child then chooses its heap.
   */
  public static List<String> accessFlags() {
    List<String> flags = new ArrayList<>();
    for (String arg : allFlags()) {
      if (arg.startsWith("--add-")
          || arg.startsWith("-Dchronicle")
          || arg.startsWith("--enable-")
          || arg.startsWith("--sun-misc")) {
        flags.add(arg);
      }
    }
    return flags;
  }

  /** {@code java FLAGS -cp <test class path> MAIN ARGS}. */
  public static List<String> command(List<String> flags, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(flags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /** {@link #command(List, String, List)} with {@code args} given inline. */
  public static List<String> command(List<String> flags, Class<?> main, String... args) {
    return command(flags, main.getName(), List.of(args));
  }
}
