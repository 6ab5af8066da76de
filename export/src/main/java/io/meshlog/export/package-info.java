/**
 * Export of a node's journal to Apache Kafka, and reading it back for replay: the settings ({@link
 * io.meshlog.export.ExportConfig}), the record format ({@link io.meshlog.export.ExportRecord}), the
 * shipper's counters ({@link io.meshlog.export.ExportCounter}). The Kafka client is used only in
 * {@link io.meshlog.export.kafka}. See docs/export.md.
 */
package io.meshlog.export;
