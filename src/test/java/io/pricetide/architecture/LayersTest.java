package io.pricetide.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The layers written in {@code docs/architecture.md}, as a build check: every package of {@code src/main} may
 * refer only to packages that come before it (imports and fully qualified names alike, comments aside), so the
 * house has no package cycle and every dependency points one way. A new package must be placed in {@link #LAYERS}
 * and in the document.
 */
class LayersTest {
  /** The packages in order: each may use only those before it. "" is the root package, where only Main lives. */
  static final List<String> LAYERS = List.of(
      // foundation
      "config", "price", "workload", "bus", "metrics", "db", "cluster", "archive", "source", "net", "http", "template",
      // stages
      "schedule", "fetch", "extract", "detect", "history",
      // orchestration of the stages, then the features on top
      "check", "alert", "ops", "web",
      // the composed service (App), the verbs that run it, and the entry point (Main, in the root package)
      "app", "cli", "");

  private static final Path MAIN = Path.of("src/main/java/io/pricetide");
  private static final Pattern REF = Pattern.compile("\\bio\\.pricetide\\.([a-z][a-z0-9]*)\\.[A-Za-z]");
  private static final Pattern ROOT_REF = Pattern.compile("\\bio\\.pricetide\\.Main\\b");

  @Test
  @DisplayName("Every package refers only to the packages before it in the written layers")
  void layersPointOneWay() throws IOException {
    Map<String, TreeSet<String>> wrong = new TreeMap<>();
    for (Map.Entry<Path, String> f : sources().entrySet()) {
      String pkg = packageOf(f.getKey());
      int own = LAYERS.indexOf(pkg);
      assertTrue(own >= 0, "package '" + pkg + "' (" + f.getKey() + ") is not placed in the layers: add it to "
          + "LayersTest.LAYERS and docs/architecture.md");
      for (String used : references(f.getValue())) {
        int at = LAYERS.indexOf(used);
        if (!used.equals(pkg) && (at < 0 || at > own)) {
          wrong.computeIfAbsent(f.getKey().toString(), k -> new TreeSet<>()).add(used.isEmpty() ? "(root)" : used);
        }
      }
    }
    assertEquals(Map.of(), wrong, "files that refer to a later (or unplaced) package");
  }

  @Test
  @DisplayName("The layers test sees a reference against the order (it cannot pass vacuously)")
  void seesAWrongReference() {
    assertEquals(List.of("web"), new ArrayList<>(references("import io.pricetide.web.Ui;\n// io.pricetide.cli.X\n")));
    assertEquals(List.of(""), new ArrayList<>(references("io.pricetide.Main.main(args);")));
  }

  @Test
  @DisplayName("Every package of src/main has a package-info.java saying what it owns")
  void everyPackageSaysWhatItOwns() throws IOException {
    for (Path f : sources().keySet()) {
      Path dir = f.getParent();
      if (!dir.equals(MAIN)) {
        assertTrue(Files.exists(dir.resolve("package-info.java")), dir + " has no package-info.java");
      }
    }
  }

  static Map<Path, String> sources() throws IOException {
    Map<Path, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(MAIN)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".java")).toList()) {
        out.put(p, Files.readString(p));
      }
    }
    assertTrue(out.size() > 50, "found the sources under " + MAIN.toAbsolutePath());
    return out;
  }

  private static String packageOf(Path file) {
    Path rel = MAIN.relativize(file.getParent());
    return rel.toString().replace('/', '.');
  }

  /** The io.pricetide packages a source refers to outside comments ("" for the root's App and Main). */
  static TreeSet<String> references(String source) {
    String code = source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
    TreeSet<String> out = new TreeSet<>();
    Matcher m = REF.matcher(code);
    while (m.find()) {
      out.add(m.group(1));
    }
    if (ROOT_REF.matcher(code).find()) {
      out.add("");
    }
    out.removeIf(p -> false);
    return out;
  }
}
