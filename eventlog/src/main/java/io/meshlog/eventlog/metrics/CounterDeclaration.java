package io.meshlog.eventlog.metrics;

/**
 * The facts one counter constant declares: stable id, meter name, kind, one-line description. An
 * enum implementing {@link CounterDescriptor} holds one per constant, so the accessors are written
 * once, in the interface.
 */
public record CounterDeclaration(int id, String meterName, CounterKind kind, String description) {}
