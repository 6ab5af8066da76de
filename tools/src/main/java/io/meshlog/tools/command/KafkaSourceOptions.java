package io.meshlog.tools.command;

import io.meshlog.tools.process.CommandFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --kafka BOOTSTRAP --kafka-topic T [--kafka-property K=V]...}: every node of a topic that
 * the shipper wrote, as a source beside (or instead of) data directories, for {@code replay} and
 * {@code replay explain}; declared once (a picocli mixin). See docs/export.md.
 */
final class KafkaSourceOptions {
  @Option(
      names = "--kafka",
      description = "Also every node in a Kafka topic the shipper wrote: bootstrap servers.")
  String bootstrap;

  @Option(names = "--kafka-topic", description = "The topic, with --kafka.")
  String topic;

  @Option(
      names = "--kafka-property",
      description = "A Kafka client property, key=value (repeatable), with --kafka.")
  Map<String, String> properties = new LinkedHashMap<>();

  /** Whether a topic is to be read. */
  boolean given() {
    return bootstrap != null;
  }

  /**
   * Checks that {@code --kafka} and {@code --kafka-topic} come together and that there is a source
   * at all.
   *
   * @throws CommandFailure (usage) otherwise
   */
  void check(boolean haveDataDirs) {
    if ((bootstrap == null) != (topic == null) || (bootstrap == null && !haveDataDirs)) {
      throw CommandFailure.usage("give --data-dir, or --kafka with --kafka-topic, or both");
    }
  }

  /** Reads the topic up to its end offsets as they are now; see {@link KafkaReplayInput}. */
  KafkaReplayInput read() {
    return KafkaReplayInput.read(bootstrap, topic, properties);
  }
}
