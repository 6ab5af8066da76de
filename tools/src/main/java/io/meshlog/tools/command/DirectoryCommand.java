package io.meshlog.tools.command;

import picocli.CommandLine.Command;

/** {@code meshlog directory}: reads a directory node's state. */
@Command(
    name = "directory",
    mixinStandardHelpOptions = true,
    description = "Read a directory node's registrations.",
    subcommands = {DirectoryPeersCommand.class})
public final class DirectoryCommand {}
