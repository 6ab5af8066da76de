package io.meshlog.export.kafka;

import io.meshlog.export.ExportException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics, for tools that set up their own (the shipper never creates one: that is the
 * operator's choice of partitions and replication). Thread-safe.
 */
public final class KafkaTopics {
  private KafkaTopics() {}

  /**
   * Creates {@code topic} with {@code partitions} partitions and one replica, unless it exists.
   *
   * @throws ExportException when the brokers cannot be reached or refuse it
   */
  public static void create(
      String bootstrap, String topic, int partitions, Map<String, String> clientProperties) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.putAll(clientProperties);
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new ExportException(
            "cannot create topic " + topic + " on Kafka " + bootstrap + ": " + e.getCause(), e);
      }
    } catch (TimeoutException e) {
      throw new ExportException(
          "cannot create topic " + topic + " on Kafka " + bootstrap + ": timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExportException("interrupted while creating topic " + topic, e);
    }
  }
}
