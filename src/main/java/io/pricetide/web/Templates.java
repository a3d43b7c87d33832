package io.pricetide.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * A small logic-less template renderer for the pages in {@code templates/page/}, escaping by default.
 *
 * <p>Tags: {@code {{name}}} and {@code {{a.b}}} print a value HTML-escaped; {@code {{#name}}…{{/name}}} renders its
 * body once per list item, or once when the value is truthy (true, a non-empty string, a map); {@code {{^name}}…
 * {{/name}}} renders when the value is falsy or an empty list; {@code {{>name}}} includes another template;
 * {@code {{! text}}} is a comment; {@code {{.}}} is the current item. {@code {{&name}}} prints a value unescaped only
 * when it is {@link Html.Safe}, markup Pricetide made itself; any other value is still escaped, so no template
 * can print a scraped string raw.
 *
 * <p>A template {@code NAME} is read from {@code DIR/page/NAME.html} when that file exists in the override folder
 * (by default {@code ./templates}, or the system property {@code pricetide.templates}), else from the classpath
 * {@code templates/page/NAME.html} inside the jar. Parsed templates are cached.
 */
public final class Templates {
  private final Path overrideDir;
  private final Map<String, List<Node>> cache = new ConcurrentHashMap<>();

  /** Templates overridable from {@code dir} (may be null for classpath only). */
  public Templates(Path dir) {
    this.overrideDir = dir;
  }

  /** The default: the folder named by {@code -Dpricetide.templates}, else {@code ./templates}. */
  public static Templates createDefault() {
    return new Templates(Path.of(System.getProperty("pricetide.templates", "templates")));
  }

  /** Renders template {@code name} with {@code model} as the outermost context. */
  public String render(String name, Map<String, ?> model) {
    StringBuilder out = new StringBuilder(8192);
    Deque<Object> stack = new ArrayDeque<>();
    stack.push(model);
    renderNodes(template(name), stack, out, 0);
    return out.toString();
  }

  /** Parses {@code name} now, so that a broken template fails at start rather than on a request. */
  public void preload(String... names) {
    for (String n : names) {
      template(n);
    }
  }

  private List<Node> template(String name) {
    return cache.computeIfAbsent(name, n -> parse(n, read(n)));
  }

  private String read(String name) {
    if (!name.matches("[a-z0-9_-]+")) {
      throw new IllegalArgumentException("bad template name '" + name + "'");
    }
    String rel = "page/" + name + ".html";
    try {
      if (overrideDir != null && Files.isRegularFile(overrideDir.resolve(rel))) {
        return Files.readString(overrideDir.resolve(rel), StandardCharsets.UTF_8);
      }
      try (InputStream in = Templates.class.getClassLoader().getResourceAsStream("templates/" + rel)) {
        if (in == null) {
          throw new IllegalArgumentException("template 'templates/" + rel + "' not found");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading template " + rel, e);
    }
  }

  // ---------------------------------------------------------------- parsing

  private sealed interface Node permits Text, Var, Section, Partial {}

  private record Text(String text) implements Node {}

  private record Var(String name, boolean raw) implements Node {}

  private record Section(String name, boolean inverted, List<Node> body) implements Node {}

  private record Partial(String name) implements Node {}

  static List<Node> parse(String name, String src) {
    Deque<List<Node>> lists = new ArrayDeque<>();
    Deque<String> open = new ArrayDeque<>();
    Deque<Boolean> inverted = new ArrayDeque<>();
    lists.push(new ArrayList<>());
    int pos = 0;
    while (pos < src.length()) {
      int start = src.indexOf("{{", pos);
      if (start < 0) {
        lists.peek().add(new Text(src.substring(pos)));
        break;
      }
      if (start > pos) {
        lists.peek().add(new Text(src.substring(pos, start)));
      }
      int end = src.indexOf("}}", start + 2);
      if (end < 0) {
        throw error(name, src, start, "unclosed tag");
      }
      String tag = src.substring(start + 2, end).trim();
      pos = end + 2;
      if (tag.isEmpty()) {
        throw error(name, src, start, "empty tag");
      }
      char kind = tag.charAt(0);
      String arg = tag.substring(1).trim();
      switch (kind) {
        case '!' -> { }
        case '#', '^' -> {
          open.push(arg);
          inverted.push(kind == '^');
          lists.push(new ArrayList<>());
        }
        case '/' -> {
          if (open.isEmpty() || !open.peek().equals(arg)) {
            throw error(name, src, start, "unexpected {{/" + arg + "}}" + (open.isEmpty() ? "" : ", open is " + open.peek()));
          }
          List<Node> body = lists.pop();
          lists.peek().add(new Section(open.pop(), inverted.pop(), List.copyOf(body)));
        }
        case '>' -> lists.peek().add(new Partial(arg));
        case '&' -> lists.peek().add(new Var(arg, true));
        default -> lists.peek().add(new Var(tag, false));
      }
    }
    if (!open.isEmpty()) {
      throw new IllegalStateException("template " + name + ": section {{#" + open.peek() + "}} is never closed");
    }
    return List.copyOf(lists.pop());
  }

  private static IllegalStateException error(String name, String src, int at, String what) {
    int line = 1;
    for (int i = 0; i < at; i++) {
      if (src.charAt(i) == '\n') {
        line++;
      }
    }
    return new IllegalStateException("template " + name + ".html:" + line + ": " + what);
  }

  // ---------------------------------------------------------------- rendering

  private void renderNodes(List<Node> nodes, Deque<Object> stack, StringBuilder out, int depth) {
    if (depth > 20) {
      throw new IllegalStateException("templates nested more than 20 deep (a partial including itself?)");
    }
    for (Node n : nodes) {
      if (n instanceof Text t) {
        out.append(t.text());
      } else if (n instanceof Var v) {
        Object val = lookup(stack, v.name());
        if (v.raw() && val instanceof Html.Safe s) {
          out.append(s.text());
        } else if (val != null) {
          out.append(Html.escape(String.valueOf(val)));
        }
      } else if (n instanceof Partial p) {
        renderNodes(template(p.name()), stack, out, depth + 1);
      } else if (n instanceof Section s) {
        section(s, lookup(stack, s.name()), stack, out, depth);
      }
    }
  }

  private void section(Section s, Object val, Deque<Object> stack, StringBuilder out, int depth) {
    List<?> items = val instanceof Collection<?> c ? List.copyOf(c) : val instanceof JsonArray a ? a.getList() : null;
    if (s.inverted()) {
      if (!truthy(val)) {
        renderNodes(s.body(), stack, out, depth);
      }
      return;
    }
    if (items != null) {
      for (Object item : items) {
        stack.push(item == null ? Map.of() : item);
        renderNodes(s.body(), stack, out, depth);
        stack.pop();
      }
    } else if (truthy(val)) {
      stack.push(val);
      renderNodes(s.body(), stack, out, depth);
      stack.pop();
    }
  }

  private static boolean truthy(Object v) {
    if (v == null || Boolean.FALSE.equals(v)) {
      return false;
    }
    if (v instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    if (v instanceof JsonArray a) {
      return !a.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return !(v instanceof CharSequence cs) || cs.length() > 0;
  }

  private static Object lookup(Deque<Object> stack, String name) {
    if (name.equals(".")) {
      return stack.peek();
    }
    String[] path = name.split("\\.");
    Object found = null;
    boolean hit = false;
    for (Object ctx : stack) {
      if (has(ctx, path[0])) {
        found = get(ctx, path[0]);
        hit = true;
        break;
      }
    }
    if (!hit) {
      return null;
    }
    for (int i = 1; i < path.length && found != null; i++) {
      found = get(found, path[i]);
    }
    return found;
  }

  private static boolean has(Object ctx, String key) {
    return ctx instanceof Map<?, ?> m ? m.containsKey(key) : ctx instanceof JsonObject o && o.containsKey(key);
  }

  private static Object get(Object ctx, String key) {
    if (ctx instanceof Map<?, ?> m) {
      return m.get(key);
    }
    return ctx instanceof JsonObject o ? o.getValue(key) : null;
  }
}
