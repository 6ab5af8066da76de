package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code --format json} output as a strict JSON-lines reader would: every line one whole
 * object that starts with <code>{</code> and ends with <code>}</code>, nothing after it, no blank
 * or continuation line: the contract of every command's {@code --format json} output.
 */
final class StrictJsonLines {

  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StrictJsonLines() {}

  /** The objects of {@code output}, one per line; fails the test on any line that is not one. */
  static List<JsonNode> parse(String output) throws JsonProcessingException {
    List<String> lines = output.lines().toList();
    assertThat(lines).as("JSON lines output").isNotEmpty();
    List<JsonNode> objects = new ArrayList<>();
    for (String line : lines) {
      assertThat(line).as("every line is one object").startsWith("{").endsWith("}");
      JsonNode node = STRICT.readTree(line);
      assertThat(node.isObject()).as(line).isTrue();
      objects.add(node);
    }
    return objects;
  }

  /** The one object {@code output} holds on its one line. */
  static JsonNode single(String output) throws JsonProcessingException {
    List<JsonNode> objects = parse(output);
    assertThat(objects).as("one object on one line: " + output).hasSize(1);
    return objects.get(0);
  }
}
