package io.meshlog.tools;

import io.meshlog.tools.command.BenchCommand;
import io.meshlog.tools.command.CrashtestCommand;
import io.meshlog.tools.command.DemoCommand;
import io.meshlog.tools.command.DirectoryCommand;
import io.meshlog.tools.command.HealthCommand;
import io.meshlog.tools.command.JournalCommand;
import io.meshlog.tools.command.NodeCommand;
import io.meshlog.tools.command.OrderCommand;
import io.meshlog.tools.command.PeersCommand;
import io.meshlog.tools.command.ProjectionsCommand;
import io.meshlog.tools.command.ReplayCommand;
import io.meshlog.tools.command.ShipCommand;
import io.meshlog.tools.command.StatsCommand;
import io.meshlog.tools.command.TopCommand;
import io.meshlog.tools.process.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code meshlog} command line. Each subcommand is its own class and returns an {@link
 * ExitCode}; an exception it does not handle goes to the one {@link CommandFailureHandler}.
 */
@Command(
    name = "meshlog",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A libp2p gossipsub node that journals everything it sees on the mesh.",
    subcommands = {
      CommandLine.HelpCommand.class,
      JournalCommand.class,
      BenchCommand.class,
      StatsCommand.class,
      OrderCommand.class,
      ProjectionsCommand.class,
      NodeCommand.class,
      DemoCommand.class,
      CrashtestCommand.class,
      ReplayCommand.class,
      DirectoryCommand.class,
      PeersCommand.class,
      ShipCommand.class,
      HealthCommand.class,
      TopCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests call {@code execute} on it with their own writers. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setExecutionExceptionHandler(new CommandFailureHandler());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reports the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"meshlog " + (v == null ? "dev" : v)};
    }
  }
}
