/**
 * One class per {@code meshlog} command (picocli), each returning an exit code and writing through
 * its command line's writers so that tests capture the output. A command fails by throwing ({@code
 * CommandFailure} with its exit code, or an exception the one handler maps); it prints no error of
 * its own. The real work is a library method ({@code tools.report}, the modules, {@code bench/})
 * that tests call directly. Not API.
 */
package io.meshlog.tools.command;
