/**
 * One class per {@code meshlog} command (picocli), each returning an exit code and writing through
 * its command line's writers so that tests capture the output. The real work is a library method
 * ({@code tools.report}, the modules, {@code bench/}) that tests call directly. Not API.
 */
package io.meshlog.tools.command;
