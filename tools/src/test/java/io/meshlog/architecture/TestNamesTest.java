package io.meshlog.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The naming style of docs/testing.md, checked over the test sources of every module: a test
 * method's name is a camelCase sentence that starts with {@code should} and has no underscores.
 *
 * <p>Sources are read as text, not compiled classes, so the check covers every module without
 * depending on it. A test method is a {@code void} method after a line that starts with one of the
 * JUnit or Jazzer test annotations; comments are removed first, so javadoc that mentions an
 * annotation is not taken for one. A failure lists every offender with its file and line.
 */
class TestNamesTest {
  /** Tests run in the module directory; the modules are the repository root's children. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static final Pattern TEST_ANNOTATION =
      Pattern.compile(
          "(?m)^[ \\t]*@(Test|ParameterizedTest|RepeatedTest|FuzzTest|TestFactory|TestTemplate)"
              + "\\b");
  private static final Pattern METHOD_NAME = Pattern.compile("\\bvoid\\s+(\\w+)\\s*\\(");
  private static final Pattern BLOCK_COMMENT = Pattern.compile("(?s)/\\*.*?\\*/");
  private static final Pattern LINE_COMMENT = Pattern.compile("(?m)^[ \\t]*//.*$");
  private static final Pattern STYLE = Pattern.compile("should[A-Z0-9][A-Za-z0-9]*");

  @Test
  void shouldNameEveryTestMethodOfEveryModuleAsAShouldSentence() throws IOException {
    List<Path> testRoots = testSourceRoots();
    Set<String> modules = new TreeSet<>();
    testRoots.forEach(r -> modules.add(ROOT.relativize(r).getName(0).toString()));
    // Guards against a wrong working directory, which would check nothing and pass.
    assertTrue(
        modules.containsAll(Set.of("eventlog", "node", "reconciliation", "jmx", "tools")),
        "test sources not found under " + ROOT + ", found only " + modules);

    List<String> offenders = new ArrayList<>();
    int methods = 0;
    for (Path root : testRoots) {
      List<Path> sources;
      try (Stream<Path> files = Files.walk(root)) {
        sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
      }
      for (Path source : sources) {
        for (TestMethod method : testMethods(source)) {
          methods++;
          if (!STYLE.matcher(method.name()).matches()) {
            offenders.add(ROOT.relativize(source) + ":" + method.line() + " " + method.name());
          }
        }
      }
    }
    assertTrue(methods > 0, "no test methods found under " + ROOT);
    assertEquals(
        List.of(),
        offenders,
        offenders.size()
            + " test methods do not follow docs/testing.md (shouldX, camelCase, no"
            + " underscores):\n  "
            + String.join("\n  ", offenders)
            + "\n");
  }

  @Test
  void shouldFindTestMethodsWithAnnotationsBetweenAndSkipCommentedOnes() throws IOException {
    Path source = Files.createTempFile("Sample", ".java");
    try {
      // Written with '%' for '@' so that this file's own scan does not take the sample for tests.
      Files.writeString(
          source,
          """
          class Sample {
            /** Not a test: {@code %Test void notThis()}. */
            // %Test void norThis() {}
            %ParameterizedTest(name = "{0}")
            %ValueSource(strings = {"a", "b"})
            %Tag("slow")
            void first_one(String s) {}

            %Test
            public void shouldPass() {}

            %TestInstance(TestInstance.Lifecycle.PER_CLASS)
            void helper() {}
          }
          """
              .replace('%', '@'));
      List<TestMethod> found = testMethods(source);
      assertEquals(
          List.of(new TestMethod("first_one", 7), new TestMethod("shouldPass", 10)), found);
      assertTrue(!STYLE.matcher("first_one").matches() && STYLE.matcher("shouldPass").matches());
      assertTrue(!STYLE.matcher("should_pass").matches() && !STYLE.matcher("should").matches());
    } finally {
      Files.delete(source);
    }
  }

  private static List<Path> testSourceRoots() throws IOException {
    try (Stream<Path> children = Files.list(ROOT)) {
      return children
          .map(module -> module.resolve("src/test/java"))
          .filter(Files::isDirectory)
          .sorted()
          .toList();
    }
  }

  private static List<TestMethod> testMethods(Path source) {
    String text;
    try {
      text = Files.readString(source);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source, e);
    }
    // Blank out comments but keep their line breaks, so reported lines match the file.
    text = blankOut(BLOCK_COMMENT, text);
    text = blankOut(LINE_COMMENT, text);
    List<TestMethod> methods = new ArrayList<>();
    Matcher annotation = TEST_ANNOTATION.matcher(text);
    while (annotation.find()) {
      Matcher name = METHOD_NAME.matcher(text);
      if (name.find(annotation.end())) {
        methods.add(new TestMethod(name.group(1), lineOf(text, name.start(1))));
      }
    }
    return methods;
  }

  private static String blankOut(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group().replaceAll("[^\\n]", " ")));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static int lineOf(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private record TestMethod(String name, int line) {}
}
