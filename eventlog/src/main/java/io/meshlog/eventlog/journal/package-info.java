/**
 * Internal: the Disruptor to Chronicle Queue implementation of {@link io.meshlog.eventlog.Journal}.
 * Nothing here is API; Chronicle and Disruptor types never leave this package. Use {@link
 * io.meshlog.eventlog.Journal} instead.
 */
package io.meshlog.eventlog.journal;
