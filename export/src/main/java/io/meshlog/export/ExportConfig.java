package io.meshlog.export;

import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.config.SettingValues;
import io.meshlog.eventlog.config.SettingsTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where and how the shipper sends a journal: the {@code export.kafka.*} settings. The shipper is
 * off while {@code bootstrapServers} is empty.
 *
 * @param bootstrapServers {@code export.kafka.bootstrapServers}: host:port[,host:port…]; "" = off
 * @param topic {@code export.kafka.topic}: the topic records go to
 * @param format {@code export.kafka.format}: the record value's form
 * @param clientProperties {@code export.kafka.client.*}: passed to the Kafka producer and consumer
 *     as they are (TLS, SASL, tuning), over meshlog's defaults
 */
public record ExportConfig(
    String bootstrapServers, String topic, Format format, Map<String, String> clientProperties) {

  /** The record value's form; see docs/export.md. */
  public enum Format {
    /** Header and the journal's own binary record. */
    BINARY,
    /** One JSON object per record, with the binary record in it (base64). */
    JSON
  }

  /** The prefix of client properties passed through. */
  public static final String CLIENT_PREFIX = "export.kafka.client.";

  public static final String DEFAULT_TOPIC = "meshlog";

  public ExportConfig {
    clientProperties = Map.copyOf(clientProperties);
  }

  /** Whether a shipper runs (a bootstrap server is set). */
  public boolean enabled() {
    return !bootstrapServers.isBlank();
  }

  /**
   * The settings, for the node's union table and the docs.
   *
   * @return a table applied to a {@link Builder}
   */
  public static SettingsTable<Builder> settings() {
    return SETTINGS;
  }

  /** Reads the {@code export.kafka.*} keys of {@code props}; others are ignored. */
  public static ExportConfig fromProperties(Map<String, String> props) {
    Builder b = new Builder();
    Map<String, String> own = new LinkedHashMap<>();
    props.forEach(
        (k, v) -> {
          if (SETTINGS.accepts(k)) {
            own.put(k, v);
          }
        });
    SETTINGS.apply(b, own);
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  private static final SettingsTable<Builder> SETTINGS =
      SettingsTable.of(
          List.of(
              Setting.of(
                  "export.kafka.bootstrapServers",
                  "string",
                  "none",
                  "Kafka brokers (host:port,…) to ship the journal to; none: no shipper",
                  Builder::bootstrapServers),
              Setting.of(
                  "export.kafka.topic",
                  "string",
                  DEFAULT_TOPIC,
                  "the Kafka topic the journal is shipped to",
                  Builder::topic),
              Setting.of(
                  "export.kafka.format",
                  "enum",
                  "binary",
                  "record value: binary (header + journal record) or json",
                  (b, v) -> b.format(format("export.kafka.format", v))),
              new Setting<>(
                  "export.kafka.client.*",
                  "string",
                  "none",
                  "passed to the Kafka client as it is, without the prefix (TLS, SASL, tuning)",
                  (b, k, v) -> b.clientProperty(k, v))));

  /** Parses {@code binary} or {@code json}, any case. */
  public static Format format(String key, String value) {
    try {
      return Format.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw SettingValues.bad(key, value, "must be binary or json");
    }
  }

  /** Checks every value; fails naming the first bad key. */
  public ExportConfig validate() {
    SettingValues.require(
        !enabled() || !topic.isBlank(), "export.kafka.topic", topic, "must not be empty");
    SettingValues.require(
        topic
                .chars()
                .allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')
            && topic.length() <= 249,
        "export.kafka.topic",
        topic,
        "a Kafka topic name has only letters, digits, '.', '_' and '-' (at most 249)");
    for (String b : bootstrapServers.split(",")) {
      String s = b.trim();
      SettingValues.require(
          bootstrapServers.isBlank() || s.lastIndexOf(':') > 0,
          "export.kafka.bootstrapServers",
          bootstrapServers,
          "each server is host:port");
    }
    return this;
  }

  /** Collects settings; {@link #build()} validates. */
  public static final class Builder {
    private String bootstrapServers = "";
    private String topic = DEFAULT_TOPIC;
    private Format format = Format.BINARY;
    private final Map<String, String> client = new LinkedHashMap<>();

    public Builder bootstrapServers(String v) {
      this.bootstrapServers = v.trim();
      return this;
    }

    public Builder topic(String v) {
      this.topic = v.trim();
      return this;
    }

    public Builder format(Format v) {
      this.format = v;
      return this;
    }

    /** A client property, given with or without the {@code export.kafka.client.} prefix. */
    public Builder clientProperty(String key, String value) {
      String k = key.startsWith(CLIENT_PREFIX) ? key.substring(CLIENT_PREFIX.length()) : key;
      if (k.isEmpty()) {
        throw SettingValues.bad(key, value, "names no client property");
      }
      client.put(k, value);
      return this;
    }

    public ExportConfig build() {
      return new ExportConfig(bootstrapServers, topic, format, client).validate();
    }
  }
}
