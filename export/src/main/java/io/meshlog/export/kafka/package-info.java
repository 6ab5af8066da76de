/**
 * The one package that uses the Kafka client: the shipper ({@link
 * io.meshlog.export.kafka.KafkaShipper}) and the replay reader ({@link
 * io.meshlog.export.kafka.KafkaJournals}). Public signatures use meshlog's own types only.
 */
package io.meshlog.export.kafka;
