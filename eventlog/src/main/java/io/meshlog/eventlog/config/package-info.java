/**
 * Declared settings: every part of meshlog declares its {@code key = value} settings once, as a
 * {@link io.meshlog.eventlog.config.SettingsTable} of {@link io.meshlog.eventlog.config.Setting}s
 * (name, type, default, meaning, how it is applied and checked). The node's parser is the union of
 * the parts' tables, and the settings tables in {@code docs/} are checked against the same
 * declarations, so the parser and the documentation cannot drift apart.
 */
package io.meshlog.eventlog.config;
