package io.meshlog.tools.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code meshlog journal ...}: commands that read a node's journal. */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    description = "Read a node's journal.",
    subcommands = {JournalDumpCommand.class, JournalExportCommand.class})
public final class JournalCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
