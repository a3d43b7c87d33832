package io.pricetide.alert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small logic-less template language for emails, read from the templates directory when a file is there and
 * from the copy inside the jar otherwise, so users override one file at a time.
 *
 * <ul>
 *   <li>{@code {{name}}} inserts a value. In {@code .html} templates every value is HTML-escaped; there is no
 *       unescaped form, so a scraped model name can never become markup.</li>
 *   <li>{@code {{#name}}…{{/name}}} repeats for each element of a list (each a map whose keys are then in scope)
 *       or renders once when the value is true or a non-empty string.</li>
 *   <li>{@code {{^name}}…{{/name}}} renders when the value is missing, false, empty or an empty list.</li>
 *   <li>{@code {{! comment }}} is dropped.</li>
 * </ul>
 * Templates are parsed when first used and cached; a syntax error names the file and the offset.
 */
final class Templates {
  private final Path dir;
  private final Map<String, Node> cache = new ConcurrentHashMap<>();

  Templates(Path dir) {
    this.dir = dir;
  }

  /** Parses the named templates now, so a broken override stops the start instead of a delivery. */
  Templates check(Collection<String> names) {
    names.forEach(this::compiled);
    return this;
  }

  /** Renders {@code name} (a path under the templates root, such as {@code email/change.html}). */
  String render(String name, Map<String, ?> model) {
    StringBuilder out = new StringBuilder();
    Deque<Object> scope = new ArrayDeque<>();
    scope.push(model);
    compiled(name).render(out, scope, name.endsWith(".html"));
    return out.toString();
  }

  private Node compiled(String name) {
    return cache.computeIfAbsent(name, n -> parse(n, source(n)));
  }

  /** Where a template comes from: the override directory, else the jar. */
  String source(String name) {
    if (name.contains("..")) {
      throw new IllegalArgumentException("bad template name " + name);
    }
    Path file = dir == null ? null : dir.resolve(name);
    try {
      if (file != null && Files.isRegularFile(file)) {
        return Files.readString(file, StandardCharsets.UTF_8);
      }
      try (InputStream in = Templates.class.getResourceAsStream("/templates/" + name)) {
        if (in == null) {
          throw new AlertException("template " + name + " not found in " + dir + " nor built in");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new AlertException("cannot read template " + name + ": " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------ parsing

  private interface Node {
    void render(StringBuilder out, Deque<Object> scope, boolean html);
  }

  private record Text(String text) implements Node {
    @Override
    public void render(StringBuilder out, Deque<Object> scope, boolean html) {
      out.append(text);
    }
  }

  private record Var(String name) implements Node {
    @Override
    public void render(StringBuilder out, Deque<Object> scope, boolean html) {
      Object v = lookup(scope, name);
      if (v != null) {
        out.append(html ? escapeHtml(String.valueOf(v)) : String.valueOf(v));
      }
    }
  }

  private record Section(String name, boolean inverted, List<Node> body) implements Node {
    @Override
    public void render(StringBuilder out, Deque<Object> scope, boolean html) {
      Object v = lookup(scope, name);
      boolean truthy = v != null && !Boolean.FALSE.equals(v) && !"".equals(v)
          && !(v instanceof Collection<?> c && c.isEmpty());
      if (inverted) {
        if (!truthy) {
          body.forEach(n -> n.render(out, scope, html));
        }
        return;
      }
      if (!truthy) {
        return;
      }
      if (v instanceof Collection<?> items) {
        for (Object item : items) {
          scope.push(item);
          body.forEach(n -> n.render(out, scope, html));
          scope.pop();
        }
      } else {
        scope.push(v instanceof Map ? v : Map.of());
        body.forEach(n -> n.render(out, scope, html));
        scope.pop();
      }
    }
  }

  private record Root(List<Node> body) implements Node {
    @Override
    public void render(StringBuilder out, Deque<Object> scope, boolean html) {
      body.forEach(n -> n.render(out, scope, html));
    }
  }

  private static Object lookup(Deque<Object> scope, String name) {
    for (Object frame : scope) {
      if (frame instanceof Map<?, ?> m && m.containsKey(name)) {
        return m.get(name);
      }
    }
    return null;
  }

  static Node parse(String name, String src) {
    Deque<Section> open = new ArrayDeque<>();
    Deque<List<Node>> bodies = new ArrayDeque<>();
    List<Node> root = new ArrayList<>();
    bodies.push(root);
    int i = 0;
    while (i < src.length()) {
      int start = src.indexOf("{{", i);
      if (start < 0) {
        bodies.peek().add(new Text(src.substring(i)));
        break;
      }
      if (start > i) {
        bodies.peek().add(new Text(src.substring(i, start)));
      }
      int end = src.indexOf("}}", start + 2);
      if (end < 0) {
        throw new AlertException("template " + name + ": '{{' at offset " + start + " is never closed");
      }
      String tag = src.substring(start + 2, end).trim();
      i = end + 2;
      if (tag.isEmpty()) {
        throw new AlertException("template " + name + ": empty tag at offset " + start);
      }
      char c = tag.charAt(0);
      String key = tag.substring(1).trim();
      switch (c) {
        case '!' -> { }
        case '#', '^' -> {
          Section s = new Section(key, c == '^', new ArrayList<>());
          bodies.peek().add(s);
          open.push(s);
          bodies.push(s.body());
        }
        case '/' -> {
          if (open.isEmpty() || !open.peek().name().equals(key)) {
            throw new AlertException("template " + name + ": '{{/" + key + "}}' at offset " + start
                + " closes " + (open.isEmpty() ? "nothing" : "'" + open.peek().name() + "'"));
          }
          open.pop();
          bodies.pop();
        }
        default -> {
          if (!tag.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
            throw new AlertException("template " + name + ": bad tag '{{" + tag + "}}' at offset " + start);
          }
          bodies.peek().add(new Var(tag));
        }
      }
    }
    if (!open.isEmpty()) {
      throw new AlertException("template " + name + ": section '" + open.peek().name() + "' is never closed");
    }
    return new Root(root);
  }

  /** Escapes text for HTML element content and quoted attribute values. */
  static String escapeHtml(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }
}
